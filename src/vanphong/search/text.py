"""Tokens for the full-text index and highlighting of results, the same on every database.

Text is tokenised in Python, not by the database: words are runs of letters and digits, so
`Số 12-NQ/TU` gives `số 12 nq tu`. Two streams are indexed: the folded one (no diacritics, đ→d,
`nghi quyet`) that every query matches against, and the exact one (lower case, diacritics kept,
old tone placement normalised: `uỷ` = `ủy`) that ranks exact-diacritic matches first.

Indexing speed: a token never spans whitespace (folding, lower case and the tone-placement rule look
no further than a word), so `tokens()` splits on whitespace and caches the two token lists of each
chunk: the vocabulary of an office is small, and a document costs a few hundred dict look-ups
instead of NFD, regexes and NFC over its whole text. The output is identical (tests compare).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vanphong.core.text import fold, nfc, normalise_tone_placement

WORD = re.compile(r"[^\W_]+")


def exact_words(text: str) -> list[str]:
    return WORD.findall(normalise_tone_placement(nfc(text)).lower())


def folded_words(text: str) -> list[str]:
    return WORD.findall(fold(text))


_CHUNKS: dict[str, tuple[list[str], list[str]]] = {}
_FOLDED: dict[str, str] = {}
CACHE_LIMIT = 1_000_000  # chunks; the caches are emptied when they grow past it


def tokens(text: str) -> tuple[list[str], list[str]]:
    """(folded words, exact words) of `text`, the same as folded_words() and exact_words()."""
    folded: list[str] = []
    exact: list[str] = []
    get = _CHUNKS.get
    for chunk in text.split():
        value = get(chunk)
        if value is None:
            if len(_CHUNKS) >= CACHE_LIMIT:
                _CHUNKS.clear()
            value = _CHUNKS[chunk] = (folded_words(chunk), exact_words(chunk))
        folded += value[0]
        exact += value[1]
    return folded, exact


def fold_word(word: str) -> str:
    """fold() of one word, cached (highlighting folds every word of the texts it shows)."""
    value = _FOLDED.get(word)
    if value is None:
        if len(_FOLDED) >= CACHE_LIMIT:
            _FOLDED.clear()
        value = _FOLDED[word] = fold(word)
    return value


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def highlight(text: str, words: Iterable[str], radius: int = 18) -> tuple[SafeString, bool]:
    """A snippet of `text` around the first match of any folded `words`, matches in <mark>.

    Returns the snippet and whether anything matched. HTML in the text is escaped.
    """
    wanted = set(words)
    spans = [(m.start(), m.end()) for m in WORD.finditer(text) if fold_word(m.group()) in wanted]
    if not spans:
        shortened = text[: radius * 12]
        return mark_safe(escape(shortened) + ("…" if len(text) > len(shortened) else "")), False
    all_words = [m.span() for m in WORD.finditer(text)]
    first = next(index for index, span in enumerate(all_words) if span == spans[0])
    start = all_words[max(0, first - radius)][0] if first > radius else 0
    end = all_words[min(len(all_words) - 1, first + radius * 2)][1]
    pieces: list[str] = []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    snippet = ("… " if start > 0 else "") + "".join(pieces) + (" …" if end < len(text) else "")
    return mark_safe(snippet), True  # every piece of text above is escaped
