"""Collation keys that sort Vietnamese correctly under any database collation, and person names."""

from __future__ import annotations

import unicodedata

from vanphong.core.text.letters import ALPHABET, D_LOOKALIKES, LETTER_INFO
from vanphong.core.text.normal import clean

#
# sort_key() returns digits only, so plain string comparison gives the same order under every database
# collation (PostgreSQL en_US.UTF-8 or C, SQLite binary) and in Python. Layout, four levels:
#
#   1. base letters, one 2-digit token per letter or digit, words separated:
#        "00" end of level 1 (lower than everything, so "an" < "an bình" < "anh")
#        "01" word separator (one per whitespace run; punctuation is ignored)
#        "02".."11" digits 0-9, "12".."44" letters a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w
#                   x y z
#        "99" + 7-digit code point: any other letter or number (lowercased)
#   2. one tone digit per level-1 token: 0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng;
#   3. one case digit per level-1 token: 0 lowercase/uncased, 1 uppercase;
#   4. an exact tail making the key total (different cleaned strings never share a key): per character of
#      the cleaned text "1" for a Vietnamese/ASCII letter or digit (fully described by levels 1-3), "2" for a
#      space, "3" + 7-digit code point for anything else (punctuation, foreign letters), then "0" to end.
#
# Levels 2 and 3 have exactly as many digits as level 1 has tokens, so the levels never overlap: base
# letters decide first over the whole text, then tones, then case, then punctuation. Every key is
# self-delimiting (no key is a proper prefix of another), so keys can be concatenated to sort by several
# fields in turn (see name_sort_key).

_LETTER_CODE: dict[str, int] = {ch: index + 2 for index, ch in enumerate(ALPHABET)}
_END_OF_BASE = "00"
_WORD_SEPARATOR = "01"

# Exactly described characters: (level-1 token, tone digit, case digit).
_COLLATION: dict[str, tuple[str, int, int]] = {}
for _char, (_base, _tone) in LETTER_INFO.items():
    _COLLATION[_char] = (f"{_LETTER_CODE[_base]:02d}", _tone, 1 if _char.isupper() else 0)
for _digit in "0123456789":
    _COLLATION[_digit] = (f"{_LETTER_CODE[_digit]:02d}", 0, 0)


def _collation_element(char: str) -> tuple[str, int, int] | None:
    """(token, tone, case) for a character that is not in _COLLATION, or None when it is ignored."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", char) if unicodedata.category(ch) != "Mn")
    stripped = D_LOOKALIKES.get(stripped, stripped)
    if len(stripped) == 1 and stripped in _COLLATION:
        # Foreign Latin letter with a diacritic (ç, ñ, ö ...) or Ð: collate as its base letter.
        token, _tone, _case = _COLLATION[stripped]
        return token, 0, 1 if char.isupper() else 0
    if unicodedata.category(char)[0] in "LN":
        lowered = char.lower()
        point = ord(lowered) if len(lowered) == 1 else ord(char)
        return f"99{point:07d}", 0, 1 if char.isupper() else 0
    return None


def sort_key(text: str) -> str:
    """Digits-only key sorting Vietnamese text in Vietnamese alphabetical order under any collation.

    Base letters (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, digits first) are compared
    first over the whole text, word by word ("an" < "an bình" < "anh"); ties are broken by tones (none,
    huyền, hỏi, ngã, sắc, nặng), then by case (lowercase first), then by punctuation. Input is cleaned
    first, so NFD input, zero-width characters and whitespace runs do not change the key.
    Length is roughly five digits per character.
    """
    text = clean(text)
    tokens: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    tail: list[str] = []
    pending_separator = False
    for char in text:
        if char == " ":
            tail.append("2")
            pending_separator = bool(tokens)
            continue
        element = _COLLATION.get(char)
        if element is not None:
            tail.append("1")
        else:
            tail.append(f"3{ord(char):07d}")
            element = _collation_element(char)
            if element is None:
                continue
        if pending_separator:
            tokens.append(_WORD_SEPARATOR)
            tones.append("0")
            cases.append("0")
            pending_separator = False
        token, tone, case = element
        tokens.append(token)
        tones.append(str(tone))
        cases.append(str(case))
    return "".join(tokens) + _END_OF_BASE + "".join(tones) + "".join(cases) + "".join(tail) + "0"


def name_sort_key(family: str, middle: str, given: str) -> str:
    """Key for Vietnamese person-name order: given name first, then family name, then middle names.

    The three sort keys are concatenated; because each key is self-delimiting, the given name is compared
    completely (letters, tones, case) before the family name is looked at, and so on.
    """
    return sort_key(given) + sort_key(family) + sort_key(middle)


def split_full_name(full: str) -> tuple[str, str, str]:
    """Split "Nguyễn Thị Minh Khai" into ("Nguyễn", "Thị Minh", "Khai").

    The first word is the family name and the last the given name; one word gives ("", "", word), two
    words (family, "", given). Compound family names ("Tôn Nữ", "Nguyễn Phúc") cannot be recognised from
    the text alone and end up in the middle part.
    """
    words = clean(full).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]
