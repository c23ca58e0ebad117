"""Collation keys and person names: core.text."""

from __future__ import annotations

import itertools
import random
import unicodedata

import pytest

from vanphong.core.tests.vietnamese import VOWEL_FOLDS, compose
from vanphong.core.text import (
    name_sort_key,
    sort_key,
    split_full_name,
)

# ---------------------------------------------------------------------------------------------------------
# sort_key
# ---------------------------------------------------------------------------------------------------------

EXPECTED_ORDER = [
    "12",
    "2",
    "an",
    "An",
    "An Bình",
    "Anh",
    "ăn",
    "ân",
    "Ấn",
    "Bình",
    "bính",
    "Chi",
    "Cường",
    "Dũng",
    "Dương",
    "Đào",
    "Đỗ",
    "Hà",
    "Hả",
    "Hạ",
    "Hà Nội",
    "Hải",
    "Hoa",
    "Hòa",
    "Ông",
    "Ơn",
    "Uyên",
    "Ưng",
    "Yến",
]


def test_sort_key_vietnamese_order() -> None:
    for seed in range(5):
        shuffled = EXPECTED_ORDER[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=sort_key) == EXPECTED_ORDER


def test_sort_key_alphabet() -> None:
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = alphabet[::-1]
    assert sorted(shuffled, key=sort_key) == alphabet
    # digits before letters; foreign letters at their Latin place
    assert sorted(["b", "9", "0", "a"], key=sort_key) == ["0", "9", "a", "b"]
    assert sorted(["g", "f", "ê", "w", "z", "y", "v", "x"], key=sort_key) == [
        "ê",
        "f",
        "g",
        "v",
        "w",
        "x",
        "y",
        "z",
    ]


def test_sort_key_tone_order() -> None:
    for base in VOWEL_FOLDS:
        letters = [compose(base, tone) for tone in range(6)]
        assert sorted(reversed(letters), key=sort_key) == letters
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_sort_key_word_by_word() -> None:
    assert sort_key("an") < sort_key("an bình") < sort_key("anh")
    assert sort_key("Hà Nội") < sort_key("Hải Phòng")


def test_sort_key_levels() -> None:
    # base letters dominate tones over the whole text, tones dominate case
    assert sort_key("bà c") < sort_key("ba d")
    assert sort_key("ba") < sort_key("Ba") < sort_key("bà") < sort_key("Bà")
    # case-insensitive at the letter level
    assert sort_key("AB") < sort_key("ac")


def test_sort_key_only_digits() -> None:
    samples = [
        *EXPECTED_ORDER,
        "",
        "   ",
        "!!!",
        "Nghị quyết số 12-NQ/TU",
        "Müller & Söhne",
        "Москва",
        "北京",
        "x\u0300",
        "a\u200bb",
        "Ðặng ǅ ß",
    ]
    for text in samples:
        key = sort_key(text)
        assert key.isascii() and key.isdigit(), text


def test_sort_key_normalisation_invariant() -> None:
    text = "Ban Thường vụ Tỉnh ủy"
    assert sort_key(unicodedata.normalize("NFD", text)) == sort_key(text)
    assert sort_key("  Ban\u200b   Thường\tvụ Tỉnh ủy ") == sort_key(text)


def base_level(key: str) -> list[str]:
    """The level-1 tokens of a sort key (2-digit tokens, "99" + 7 digits, up to the "00" terminator)."""
    tokens, index = [], 0
    while key[index : index + 2] != "00":
        width = 9 if key[index : index + 2] == "99" else 2
        tokens.append(key[index : index + width])
        index += width
    return tokens


def test_sort_key_punctuation_ignored_but_total() -> None:
    # punctuation is ignored among the letters ("Hà-Nội" collates as "HàNội", a single word) ...
    assert sort_key("Hải") < sort_key("Hà-Nội") < sort_key("Hào")
    assert base_level(sort_key("Hà-Nội")) == base_level(sort_key("HàNội"))
    assert sort_key("Nghị quyết, số 12") < sort_key("Nghị quyết số 13")
    # ... yet different texts never share a key, and the order between them is stable
    variants = ["AB", "A.B", "AB.", "A B", "A - B", "A -B", "A- B", "ab", "Ab", "Ç", "C", "c", "ç", ""]
    keys = [sort_key(v) for v in variants]
    assert len(set(keys)) == len(variants)
    assert sort_key("AB") < sort_key("A.B")
    assert sort_key("AB") < sort_key("AB.")


def test_sort_key_eth_lookalike() -> None:
    eth = "\u00d0ảng"
    assert sort_key("Dung") < sort_key(eth) < sort_key("Em")
    assert base_level(sort_key(eth)) == base_level(sort_key("Đảng"))
    assert sort_key(eth) != sort_key("Đảng")


def test_sort_key_prefix_free() -> None:
    texts = [*EXPECTED_ORDER, "", "a", "a.", "a b", "ab", "Ç", "中"]
    keys = [sort_key(t) for t in texts]
    for a, b in itertools.permutations(keys, 2):
        assert not (a != b and b.startswith(a)), (a, b)


def test_sort_key_deterministic() -> None:
    assert sort_key("Nguyễn Văn An") == sort_key("Nguyễn Văn An")
    assert sort_key("") == sort_key("") == "000"


# ---------------------------------------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Nguyễn Thị Minh Khai", ("Nguyễn", "Thị Minh", "Khai")),
        ("Lê An", ("Lê", "", "An")),
        ("Khai", ("", "", "Khai")),
        ("  Trần   Văn\tBình ", ("Trần", "Văn", "Bình")),
        ("", ("", "", "")),
        ("   ", ("", "", "")),
    ],
)
def test_split_full_name(full: str, expected: tuple[str, str, str]) -> None:
    assert split_full_name(full) == expected


def test_name_sort_key_example() -> None:
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê An", "Đỗ Văn Anh", "Bùi Thị Ánh"]
    ordered = sorted(names, key=lambda n: name_sort_key(*split_full_name(n)))
    assert ordered == ["Lê An", "Nguyễn Văn An", "Đỗ Văn Anh", "Bùi Thị Ánh", "Trần Thị Bình"]


def test_name_sort_key_precedence() -> None:
    # given name first, even when the family name would say otherwise
    assert name_sort_key("Vũ", "", "An") < name_sort_key("An", "", "Bình")
    # then the family name, then the middle names
    assert name_sort_key("Lê", "Văn", "Hùng") < name_sort_key("Lê", "Xuân", "Hùng")
    assert name_sort_key("Lê", "Xuân", "Hùng") < name_sort_key("Phạm", "Anh", "Hùng")
    # tones of the given name beat the family name
    assert name_sort_key("Vũ", "", "Hùng") < name_sort_key("An", "", "Hưng")
    assert name_sort_key("Vũ", "", "Hưng") < name_sort_key("An", "", "Hứng")
    assert name_sort_key("", "", "An").isdigit()


def test_name_sort_key_realistic_list() -> None:
    expected = [
        "Hoàng Văn An",
        "Lê Thị An",
        "Phạm Thị Ngọc Ánh",
        "Nguyễn Thị Bích",
        "Đặng Văn Cường",
        "Trần Quốc Dũng",
        "Đinh Thị Hà",
        "Vũ Thị Hà",
        "Bùi Xuân Hải",
        "Ngô Thị Huệ",
        "Nguyễn Văn Hùng",
        "Nguyễn Thị Minh Khai",
        "Võ Văn Kiệt",
        "Dương Thị Ly",
        "Nguyễn Văn Nam",
        "Lý Thị Oanh",
        "Phan Văn Ơn",
        "Đỗ Minh Quân",
        "Hồ Thị Thủy",
        "Trương Văn Út",
        "Lê Thị Ưng",
        "Mai Thị Yến",
    ]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=lambda n: name_sort_key(*split_full_name(n))) == expected
