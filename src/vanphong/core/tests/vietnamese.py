"""An independent table of Vietnamese vowels and tones for the text tests (not read from core.text)."""

from __future__ import annotations

import unicodedata

TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng
VOWEL_FOLDS = {
    "a": "a",
    "ă": "a",
    "â": "a",
    "e": "e",
    "ê": "e",
    "i": "i",
    "o": "o",
    "ô": "o",
    "ơ": "o",
    "u": "u",
    "ư": "u",
    "y": "y",
}


def compose(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + TONE_MARKS[tone])


def all_vowels() -> list[tuple[str, str]]:
    """(NFC letter, folded ASCII vowel) for every Vietnamese vowel, every tone, both cases."""
    out = []
    for base, folded in VOWEL_FOLDS.items():
        for tone in range(6):
            out.append((compose(base, tone), folded))
            out.append((compose(base.upper(), tone), folded))
    return out
