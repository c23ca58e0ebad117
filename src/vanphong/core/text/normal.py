"""Normalisation (NFC, cleaning, tone placement) and the folding used for search."""

from __future__ import annotations

import re
import unicodedata

from vanphong.core.text.letters import VOWEL_CHARS, compose

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\ufeff]")
# C0 and C1 controls except tab, line feed and carriage return; DEL; lone UTF-16 surrogates. Databases,
# XLSX and DOCX refuse them (PostgreSQL refuses NUL in text).
CONTROLS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_WHITESPACE_RE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC normalisation, nothing else (whitespace and invisible characters are kept)."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, drop zero-width and control characters, collapse whitespace runs, strip."""
    # Zero-width characters go first: a ZWJ between a letter and a combining mark would block composition.
    text = nfc(CONTROLS_RE.sub("", _ZERO_WIDTH_RE.sub("", text)))
    return _WHITESPACE_RE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Fold for accent- and case-insensitive search: "Tỉnh ỦY Đảng" -> "tinh uy dang".

    NFD, drop every non-spacing mark (tones, breve, circumflex, horn), map đ/Đ (and the look-alike eth
    ð/Ð) to d/D, lowercase, NFC. Both tone placements ("uỷ"/"ủy") and decomposed input therefore fold to
    the same string.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    for old, new in (("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D")):
        stripped = stripped.replace(old, new)
    return unicodedata.normalize("NFC", stripped.lower())


# Tone placement.
#
# Two conventions exist for the open syllables whose nucleus is "oa", "oe" or "uy": (A) tone on the second
# vowel ("hoà", "khoẻ", "thuỷ") and (B) tone on the first ("hòa", "khỏe", "thủy"). Party and State
# documents use (B) ("Tỉnh ủy", "hòa"), so this function rewrites (A) into (B). The rule, on NFC text:
#
#   an untoned o/O followed by a toned a/e, or an untoned u/U followed by a toned y, is rewritten (tone moved
#   to the o/u, case of both letters kept) only when
#   * the pair ends the syllable: the next character is not a letter. With a final consonant the tone stays
#     on the second vowel in both conventions ("hoàng", "toán", "huỳnh", "quyết"), and with a following
#     vowel the pair is not the whole nucleus ("hoài", "ngoẻo", "khuỷu");
#   * the o/u does not follow a vowel or q/Q. After q the u belongs to the onset "qu", so the y is the whole
#     nucleus and already carries the tone correctly ("quý", "quỳ", "quỷ" stay as they are).
_TONED_A_E = "".join(compose(v, t) for v in "aeAE" for t in range(1, 6))
_TONED_Y = "".join(compose(v, t) for v in "yY" for t in range(1, 6))
_NOT_AFTER = re.escape("".join(sorted(VOWEL_CHARS)) + "qQ")
_TONE_PLACEMENT_RE = re.compile(
    rf"(?<![{_NOT_AFTER}])(?:([oO])([{_TONED_A_E}])|([uU])([{_TONED_Y}]))(?![^\W\d_])"
)


def _move_tone(match: re.Match[str]) -> str:
    first = match.group(1) or match.group(3)
    second = match.group(2) or match.group(4)
    decomposed = unicodedata.normalize("NFD", second)  # base letter + tone mark
    return unicodedata.normalize("NFC", first + decomposed[1]) + decomposed[0]


def normalise_tone_placement(text: str) -> str:
    """Rewrite "oà/oè/uỳ"-style tone placement to "òa/òe/ùy" ("Tỉnh uỷ hoà" -> "Tỉnh ủy hòa").

    The result is NFC. See the comment above for the exact rule (only open "oa/oe/uy" syllables, never
    after "q").
    """
    return _TONE_PLACEMENT_RE.sub(_move_tone, nfc(text))
