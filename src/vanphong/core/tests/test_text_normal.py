"""Normalisation, folding and tone placement: core.text."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from vanphong.core.tests.vietnamese import all_vowels, compose
from vanphong.core.text import (
    clean,
    fold,
    nfc,
    normalise_tone_placement,
)

# ---------------------------------------------------------------------------------------------------------
# nfc / clean
# ---------------------------------------------------------------------------------------------------------


def test_nfc_composes_and_keeps_everything_else() -> None:
    decomposed = unicodedata.normalize("NFD", " Nghị  quyết\u200b ")
    assert nfc(decomposed) == " Nghị  quyết\u200b "
    assert nfc("") == ""


def test_clean() -> None:
    messy = "\ufeff  Nghi\u0323 \t quyê\u0301t\u200b số\u00a0 12\n\nNQ/TU\u200c\u200d  "
    assert clean(messy) == "Nghị quyết số 12 NQ/TU"
    assert clean("") == ""
    assert clean(" \u200b ") == ""


def test_clean_zero_width_between_letter_and_mark() -> None:
    assert clean("a\u200d\u0300") == "à"


# ---------------------------------------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------------------------------------


def test_fold_example() -> None:
    assert fold("Nghị quyết Tỉnh ỦY Đảng") == "nghi quyet tinh uy dang"
    assert fold("") == ""


def test_fold_every_vowel_every_tone_both_cases() -> None:
    vowels = all_vowels()
    assert len(vowels) == 144
    assert len({letter for letter, _ in vowels}) == 144
    for letter, folded in vowels:
        assert fold(letter) == folded, letter
        assert fold(unicodedata.normalize("NFD", letter)) == folded, letter


def test_fold_d_bar() -> None:
    assert fold("đ") == "d"
    assert fold("Đ") == "d"
    assert fold("Đỗ Đình Đạt") == "do dinh dat"
    assert fold("\u00d0ảng") == "dang"  # eth look-alike of Đ from old data


@pytest.mark.parametrize(
    ("old", "new"),
    [("uỷ", "ủy"), ("hoà", "hòa"), ("khoẻ", "khỏe"), ("Thuỷ", "Thủy"), ("HOÀ", "HÒA")],
)
def test_fold_ignores_tone_placement(old: str, new: str) -> None:
    assert fold(old) == fold(new)
    assert fold(unicodedata.normalize("NFD", old)) == fold(new)


# ---------------------------------------------------------------------------------------------------------
# normalise_tone_placement
# ---------------------------------------------------------------------------------------------------------


def test_tone_placement_example() -> None:
    assert normalise_tone_placement("Tỉnh uỷ hoà") == "Tỉnh ủy hòa"


def test_tone_placement_all_clusters_all_case_variants() -> None:
    for first, seconds in (("o", "ae"), ("u", "y")):
        for second in seconds:
            for tone in range(1, 6):
                for upper_first, upper_second in itertools.product((False, True), repeat=2):
                    f = first.upper() if upper_first else first
                    s = second.upper() if upper_second else second
                    old = "h" + f + compose(s, tone)
                    new = "h" + compose(f, tone) + s
                    assert normalise_tone_placement(old) == new, old
                    assert normalise_tone_placement(new) == new, new


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thuỷ", "thủy"),
        ("Uỷ ban", "Ủy ban"),
        ("oà khóc", "òa khóc"),
        ("hoà.", "hòa."),
        ("(khoẻ)", "(khỏe)"),
        ("luỹ tre, tuỳ ý", "lũy tre, tùy ý"),
        ("xoè", "xòe"),
        ("huỷ bỏ", "hủy bỏ"),
    ],
)
def test_tone_placement_converts(text: str, expected: str) -> None:
    assert normalise_tone_placement(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "quý",
        "Quỳ",
        "quỷ",
        "QUÝ",
        "hoài",
        "ngoẻo",
        "khuỷu",
        "khuya",
        "hoàng",
        "toán",
        "Huỳnh",
        "quyết",
        "hoạch",
        "khoẻn",
        "hòa",
        "ủy",
    ],
)
def test_tone_placement_leaves_other_syllables(text: str) -> None:
    assert normalise_tone_placement(text) == text


def test_tone_placement_nfd_input_and_idempotent() -> None:
    text = unicodedata.normalize("NFD", "Ban Thường vụ Tỉnh uỷ, Hội đồng hoà giải")
    once = normalise_tone_placement(text)
    assert once == "Ban Thường vụ Tỉnh ủy, Hội đồng hòa giải"
    assert normalise_tone_placement(once) == once
