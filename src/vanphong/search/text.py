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
from functools import lru_cache
from operator import itemgetter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vanphong.core.text import fold, nfc, normalise_tone_placement

WORD = re.compile(r"[^\W_]+")


def exact_words(text: str) -> list[str]:
    return WORD.findall(normalise_tone_placement(nfc(text)).lower())


def folded_words(text: str) -> list[str]:
    return WORD.findall(fold(text))


_CHUNKS: dict[str, tuple[str, str]] = {}
_FOLDED: dict[str, str] = {}
CACHE_LIMIT = 200_000  # entries per cache; a cache is emptied when it grows past it
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _learn(chunk: str) -> tuple[str, str]:
    if len(_CHUNKS) >= CACHE_LIMIT:
        _CHUNKS.clear()
    value = _CHUNKS[chunk] = (" ".join(folded_words(chunk)), " ".join(exact_words(chunk)))
    return value


def tokens(text: str) -> tuple[str, str]:
    """The folded and the exact words of `text`, each joined by spaces: the same as
    " ".join(folded_words(text)) and " ".join(exact_words(text))."""
    get = _CHUNKS.get
    pairs = [get(chunk) or _learn(chunk) for chunk in text.split()]
    return " ".join(filter(None, map(_FIRST, pairs))), " ".join(filter(None, map(_SECOND, pairs)))


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


# Latin and Vietnamese letters fold one character to one, so a text made only of them folds with
# str.translate and keeps its offsets: matches are found in the folded copy by one regex. Other texts
# (decomposed marks, other scripts) take the word-by-word way.
_ONE_TO_ONE = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")
_FOLD_TABLE = {
    code: fold(chr(code))
    for code in (*range(0x250), *range(0x1E00, 0x1F00))
    if fold(chr(code)) != chr(code) and len(fold(chr(code))) == 1
}


@lru_cache(maxsize=1000)
def _pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _matches(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the words of `text` whose folded form is one of `words`."""
    if not words:
        return []
    if _ONE_TO_ONE.search(text) is None:
        return [match.span() for match in _pattern(words).finditer(text.translate(_FOLD_TABLE))]
    return [match.span() for match in WORD.finditer(text) if fold_word(match.group()) in words]


def highlight(text: str, words: Iterable[str], radius: int = 18) -> tuple[SafeString, bool]:
    """A snippet of `text` around the first match of any folded `words`, matches in <mark>.

    Returns the snippet and whether anything matched. HTML in the text is escaped.
    """
    spans = _matches(text, frozenset(words))
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
