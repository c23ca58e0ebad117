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
from itertools import islice
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


# PostgreSQL stores at most 1 MB of lexemes and positions in a tsvector and refuses more ("string is too
# long for tsvector"), and skips words over 2047 bytes (PostgreSQL 15 docs, "Limitations" of text search).
# Both databases index the same stream, cut where PostgreSQL would refuse it: a text's distinct words are
# kept while their bytes (plus what each costs the tsvector, and the at most 16,383 positions) stay under
# the limit, and overlong "words" (runs of digits or letters longer than any word) are left out. Ordinary
# texts never come near: Vietnamese has some 7,000 syllables.
TSVECTOR_BYTES = 1_000_000
LEXEME_COST, POSITIONS_COST = 10, 40_000
MAX_WORD = 60
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def indexable(folded: str) -> str:
    """The folded stream as both databases index it (see TSVECTOR_BYTES)."""
    if len(folded.encode()) + POSITIONS_COST < TSVECTOR_BYTES and not _LONG_WORD.search(folded):
        return folded
    seen: set[str] = set()
    size = POSITIONS_COST
    kept = []
    for word in folded.split():
        if len(word) > MAX_WORD:
            continue
        if word not in seen:
            size += len(word.encode()) + LEXEME_COST
            if size > TSVECTOR_BYTES:
                break
            seen.add(word)
        kept.append(word)
    return " ".join(kept)


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


# Latin and Vietnamese letters fold one character to one, so in a text made only of them (and of
# punctuation) a folded word is found by one regex over the text itself: each letter of the word
# becomes the class of the characters that fold to it ("dang" -> [dđĐD][aáà…]ng). Other texts
# (decomposed marks, other scripts) take the word-by-word way.
_ONE_TO_ONE = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")
_FOLDING_TO: dict[str, set[str]] = {}
for _code in (*range(0x250), *range(0x1E00, 0x1F00)):
    _folded = fold(chr(_code))
    if len(_folded) == 1:
        _FOLDING_TO.setdefault(_folded, {_folded}).add(chr(_code))


def _letter(folded: str) -> str:
    group = _FOLDING_TO.get(folded)
    return "[" + "".join(sorted(map(re.escape, group))) + "]" if group else re.escape(folded)


@lru_cache(maxsize=1000)
def _pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join("".join(map(_letter, word)) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _matches(
    text: str, words: frozenset[str], start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Spans of the words of text[start:end] whose folded form is one of `words`; `start` and `end`
    do not cut a word."""
    end = len(text) if end is None else end
    if not words:
        return []
    if _ONE_TO_ONE.search(text, start, end) is None:
        return [m.span() for m in _pattern(words).finditer(text, start, end)]
    return [m.span() for m in WORD.finditer(text, start, end) if fold_word(m.group()) in words]


def _first(text: str, words: frozenset[str], chunk: int = 2000) -> tuple[int, int] | None:
    """The first match, looked for chunk by chunk (attachments can be long), cut at spaces."""
    if not words:
        return None
    pattern = _pattern(words)
    position = 0
    while position < len(text):
        stop = text.find(" ", position + chunk)
        stop = len(text) if stop < 0 else stop
        if _ONE_TO_ONE.search(text, position, stop) is None:
            found = pattern.search(text, position, stop)
            if found:
                return found.span()
        else:
            spans = _matches(text, words, position, stop)
            if spans:
                return spans[0]
        position = stop
    return None


def _context_start(text: str, position: int, radius: int) -> int:
    """Where the `radius` words before `position` begin (the text's start if there are fewer).
    Looked for in a short stretch first (most words are short), then in one no word can exceed."""
    for width in (12, 40):  # characters per word, with the separator
        reach = position - width * radius
        before = [m.start() for m in WORD.finditer(text, max(0, reach), position)]
        if len(before) > radius:  # the first one may be cut by the stretch's start: never taken
            return before[-radius]
    return before[0] if reach > 0 and before else 0


def highlight(text: str, words: Iterable[str], radius: int = 18) -> tuple[SafeString, bool]:
    """A snippet of `text` around the first match of any folded `words` (`radius` words before it,
    twice as many after), matches in <mark>.

    Returns the snippet and whether anything matched. HTML in the text is escaped.
    """
    wanted = frozenset(words)
    first = _first(text, wanted)
    if first is None:
        shortened = text[: radius * 12]
        return mark_safe(escape(shortened) + ("…" if len(text) > len(shortened) else "")), False
    start = _context_start(text, first[0], radius)
    end = [m.end() for m in islice(WORD.finditer(text, first[0]), radius * 2 + 1)][-1]
    pieces: list[str] = []
    cursor = start
    for span_start, span_end in _matches(text, wanted, start, end):
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    snippet = ("… " if start > 0 else "") + "".join(pieces) + (" …" if end < len(text) else "")
    return mark_safe(snippet), True  # every piece of text above is escaped
