"""The Vietnamese letters: base vowels and consonants, the six tones, composing a toned letter."""

from __future__ import annotations

import unicodedata

# The six tones in collation order (none, huyền, hỏi, ngã, sắc, nặng) as combining marks.
TONE_MARKS: tuple[str, ...] = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

BASE_VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđfghjklmnpqrstvwxz"

# Collation alphabet: digits first, then the Vietnamese alphabet with the four letters that Vietnamese does
# not use (f, j, w, z) slotted in at their Latin positions so that foreign words still sort sensibly.
ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"


def compose(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + TONE_MARKS[tone])


# Every Vietnamese letter (NFC, both cases, all tones) -> (lowercase base letter without tone, tone).
LETTER_INFO: dict[str, tuple[str, int]] = {}
for _base in BASE_VOWELS:
    for _tone in range(len(TONE_MARKS)):
        LETTER_INFO[compose(_base, _tone)] = (_base, _tone)
        LETTER_INFO[compose(_base.upper(), _tone)] = (_base, _tone)
for _base in CONSONANTS:
    LETTER_INFO[_base] = (_base, 0)
    LETTER_INFO[_base.upper()] = (_base, 0)

VOWEL_CHARS = frozenset(ch for ch, (base, _t) in LETTER_INFO.items() if base in BASE_VOWELS)

# Characters that only exist in Unicode Vietnamese (outside Latin-1); their presence means "already Unicode".
UNICODE_ONLY_LETTERS = frozenset(ch for ch in LETTER_INFO if ord(ch) > 0xFF)

# Look-alikes of đ/Đ found in old data: the Icelandic eth (U+00D0 looks exactly like Đ U+0110).
D_LOOKALIKES = {"Ð": "Đ", "ð": "đ"}
