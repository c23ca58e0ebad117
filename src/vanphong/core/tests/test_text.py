"""Tests for vanphong.core.text (pure Python, no Django needed)."""

from __future__ import annotations

import datetime
import itertools
import random
import unicodedata
from decimal import Decimal

import pytest

from vanphong.core.text import (
    amount_in_words,
    clean,
    date_line,
    date_phrase,
    detect_legacy_encoding,
    fold,
    format_money,
    format_number,
    legacy_to_unicode,
    name_sort_key,
    nfc,
    normalise_tone_placement,
    number_in_words,
    sort_key,
    split_full_name,
    unicode_to_legacy,
)

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


# ---------------------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------------------

NUMBER_CASES = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (7, "bảy"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (91, "chín mươi mốt"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"),
    (1100, "một nghìn một trăm"),
    (2025, "hai nghìn không trăm hai mươi lăm"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (100_000, "một trăm nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_001, "một triệu không trăm linh một"),
    (1_500_000, "một triệu năm trăm nghìn"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (12_345_678, "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_001, "một tỷ không trăm linh một"),
    (2_000_000_005, "hai tỷ không trăm linh năm"),
    (1_005_000_000, "một tỷ không trăm linh năm triệu"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (1_002_000_000_000, "một nghìn không trăm linh hai tỷ"),
    (5_000_000_000_000_000, "năm triệu tỷ"),
    (
        10**18 - 1,
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ "
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
    (-5, "âm năm"),
    (-1_000_001, "âm một triệu không trăm linh một"),
]


@pytest.mark.parametrize(("number", "words"), NUMBER_CASES)
def test_number_in_words(number: int, words: str) -> None:
    assert number_in_words(number) == words


def test_number_in_words_limits() -> None:
    assert number_in_words(-(10**18) + 1).startswith("âm chín trăm")
    with pytest.raises(ValueError):
        number_in_words(10**18)
    with pytest.raises(ValueError):
        number_in_words(-(10**18))
    with pytest.raises(TypeError):
        number_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        number_in_words(True)


def test_number_in_words_is_plausible_everywhere() -> None:
    # cheap structural checks over a range: no doubled spaces, "linh" only before a single digit word
    for n in itertools.chain(range(0, 2100), range(999_990, 1_001_100, 7)):
        words = number_in_words(n)
        assert "  " not in words and words == words.strip()
        assert "mươi một" not in words and "mười mốt" not in words
        assert "mười năm" not in words and "mươi năm" not in words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (2025, "Hai nghìn không trăm hai mươi lăm đồng"),
        (0, "Không đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
        (-1000, "Âm một nghìn đồng"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (1234567.5, 1, "1.234.567,5"),
        (1234567.45, 1, "1.234.567,5"),
        (-1234, 0, "-1.234"),
        (-1234.5, 2, "-1.234,50"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("0.005"), 2, "0,01"),
        (2.675, 2, "2,68"),
        (0.5, 0, "1"),
        (-0.4, 0, "0"),
        (-0.004, 2, "0,00"),
        (999.95, 1, "1.000,0"),
        (10**18, 0, "1.000.000.000.000.000.000"),
        (Decimal("12345678901234567890123456789.5"), 0, "12.345.678.901.234.567.890.123.456.790"),
    ],
)
def test_format_number(value: int | float | Decimal, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_errors() -> None:
    with pytest.raises(ValueError):
        format_number(1, -1)
    with pytest.raises(ValueError):
        format_number(float("nan"))
    with pytest.raises(ValueError):
        format_number(Decimal("Infinity"))


def test_format_money() -> None:
    assert format_money(1_500_000) == "1.500.000 đồng"
    assert format_money(0) == "0 đồng"
    assert format_money(-25_000) == "-25.000 đồng"


# ---------------------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "phrase"),
    [
        (datetime.date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (datetime.date(2023, 10, 18), "ngày 18 tháng 10 năm 2023"),
        (datetime.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (datetime.date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
        (datetime.date(2025, 9, 10), "ngày 10 tháng 9 năm 2025"),
        (datetime.date(2025, 11, 9), "ngày 09 tháng 11 năm 2025"),
        (datetime.datetime(2026, 3, 5, 14, 30), "ngày 05 tháng 3 năm 2026"),
    ],
)
def test_date_phrase(d: datetime.date, phrase: str) -> None:
    assert date_phrase(d) == phrase


def test_date_phrase_every_month_and_day() -> None:
    for month in range(1, 13):
        expected_month = f"{month:02d}" if month <= 2 else str(month)
        assert f" tháng {expected_month} " in date_phrase(datetime.date(2026, month, 15))
    for day in range(1, 32):
        assert date_phrase(datetime.date(2026, 3, day)).startswith(f"ngày {day:02d} ")


def test_date_line() -> None:
    assert date_line("Tân Hòa", datetime.date(2026, 3, 5)) == "Tân Hòa, ngày 05 tháng 3 năm 2026"
    assert date_line("Hà Nội", datetime.date(2026, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2026"


# ---------------------------------------------------------------------------------------------------------
# legacy encodings
# ---------------------------------------------------------------------------------------------------------

PARAGRAPH = (
    "Nghị quyết số 12-NQ/TU của Ban Thường vụ Tỉnh ủy về đẩy mạnh chuyển đổi số trong các cơ quan Đảng, "
    "ngày 05 tháng 3 năm 2026. Trích yếu: Về việc tổ chức Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba; "
    "Đ đ Ư ư Ơ ơ Ă ă Â â Ê ê Ô ô\n" + " ".join(letter for letter, _ in all_vowels())
)


def test_tcvn3_known_strings() -> None:
    assert legacy_to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3") == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert legacy_to_unicode("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"
    assert legacy_to_unicode("NghÞ quyÕt cña Ban Th\u00adêng vô TØnh ñy") == (
        "Nghị quyết của Ban Thường vụ Tỉnh ủy"
    )
    assert legacy_to_unicode("Ninh B×nh") == "Ninh Bình"
    assert legacy_to_unicode("B¶o Th¾ng, M\u00adêng Kh\u00ad¬ng, B¸t X¸t") == (
        "Bảo Thắng, Mường Khương, Bát Xát"
    )


def test_vni_known_strings() -> None:
    assert legacy_to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    assert legacy_to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert legacy_to_unicode("Xin chaøo caùc baïn") == "Xin chào các bạn"
    assert legacy_to_unicode("ÑAÛNG COÄNG SAÛN VIEÄT NAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert legacy_to_unicode("ñòa chæ, Myõ Tho, Thöôøng tröïc") == "địa chỉ, Mỹ Tho, Thường trực"


def test_tcvn3_table_shape() -> None:
    lower = "".join(sorted({letter.lower() for letter, _ in all_vowels()} | {"đ"}))
    encoded = unicode_to_legacy(lower, "tcvn3")
    # one byte per letter; untoned a e i o u y stay ASCII, everything else is in A1..FE
    assert len(encoded) == len(lower)
    high = [c for c in encoded if not c.isascii()]
    assert len(high) == len(set(high)) == 67
    assert all(0xA1 <= ord(c) <= 0xFE for c in high)
    upper_plain = unicode_to_legacy("ĂÂÊÔƠƯĐ", "tcvn3")
    assert upper_plain == "¡¢£¤¥¦§"


def test_vni_table_shape() -> None:
    letters = [letter for letter, _ in all_vowels()] + ["đ", "Đ"]
    encoded = [unicode_to_legacy(letter, "vni") for letter in letters]
    assert len(set(encoded)) == len(letters)
    for letter, code in zip(letters, encoded, strict=True):
        assert all(ord(c) <= 0xFF for c in code), letter
        assert legacy_to_unicode(code, "vni") == letter


def test_vni_round_trip_exact() -> None:
    encoded = unicode_to_legacy(PARAGRAPH, "vni")
    assert encoded != PARAGRAPH
    assert all(ord(c) <= 0xFF for c in encoded)
    assert detect_legacy_encoding(encoded) == "vni"
    assert legacy_to_unicode(encoded, "vni") == PARAGRAPH
    assert legacy_to_unicode(encoded) == PARAGRAPH


def test_tcvn3_round_trip_up_to_case() -> None:
    # TCVN3 has no uppercase toned vowels: "Ủ" is stored with the byte of "ủ", so only the lowercase
    # comparison can hold for mixed text. Everything that TCVN3 can encode comes back exactly.
    encoded = unicode_to_legacy(PARAGRAPH, "tcvn3")
    assert all(ord(c) <= 0xFF for c in encoded)
    assert detect_legacy_encoding(encoded) == "tcvn3"
    decoded = legacy_to_unicode(encoded, "tcvn3")
    assert decoded.lower() == PARAGRAPH.lower()
    assert legacy_to_unicode(encoded) == decoded
    first_line = PARAGRAPH.split("\n")[0]
    assert decoded.split("\n")[0] == first_line
    assert "Ủ" not in decoded.split("\n")[1]  # uppercase toned vowels standing alone come back lowercase


def test_tcvn3_capitals_restored_in_headings() -> None:
    heading = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐẢNG BỘ TỈNH TÂN HÒA\nBAN THƯỜNG VỤ TỈNH ỦY\nNGHỊ QUYẾT Ở CƠ SỞ"
    )
    encoded = unicode_to_legacy(heading, "tcvn3")
    assert encoded.startswith("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM")
    assert legacy_to_unicode(encoded) == heading
    # title case stays as it is
    assert legacy_to_unicode("UBND TP. Hå ChÝ Minh", "tcvn3") == "UBND TP. Hồ Chí Minh"
    assert legacy_to_unicode("¤ng Vò V¨n Hå", "tcvn3") == "Ông Vũ Văn Hồ"


@pytest.mark.parametrize(
    "text",
    [
        "Quyết định",
        "Tỉnh ủy",
        "Công văn số 15-CV/VPTU",
        "Báo cáo tổng kết",
        "Văn phòng Tỉnh ủy",
        "Nguyễn Thị Minh Khai",
        "Trần Hưng Đạo",
        "Hồ Chí Minh Thành phố",
        "thông báo",
        "Kế hoạch",
        "Tờ trình",
        "đồng chí Bí thư",
        "Ủy ban kiểm tra",
        "Phó Chủ tịch",
        "Đảng viên",
        "Giấy mời họp",
    ],
)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("upper", [False, True])
def test_detect_short_texts(text: str, encoding: str, upper: bool) -> None:
    if upper:
        text = text.upper()
    encoded = unicode_to_legacy(text, encoding)
    assert detect_legacy_encoding(encoded) == encoding
    decoded = legacy_to_unicode(encoded)
    assert decoded.lower() == text.lower()
    if encoding == "vni" or upper:
        assert decoded == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain ASCII text, 12-NQ/TU.",
        PARAGRAPH,
        "Nghị quyết số 12-NQ/TU",
        "và có là",
        "Bà Tâm, ông Tý",
        "Café Müller, Ærø, naïve",
        "Grüße aus Köln",
        unicodedata.normalize("NFD", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ],
)
def test_unicode_and_ascii_not_detected(text: str) -> None:
    assert detect_legacy_encoding(text) is None
    assert legacy_to_unicode(text) == text


def test_detect_prefers_unicode_when_ambiguous() -> None:
    # VNI "Hồ Chí Minh" is "Hoà Chí Minh", which is also valid Unicode Vietnamese: left alone unless told.
    encoded = unicode_to_legacy("Hồ Chí Minh", "vni")
    assert encoded == "Hoà Chí Minh"
    assert detect_legacy_encoding(encoded) is None
    assert legacy_to_unicode(encoded, "vni") == "Hồ Chí Minh"


def test_legacy_unknown_encoding() -> None:
    with pytest.raises(ValueError):
        legacy_to_unicode("abc", "viscii")
    with pytest.raises(ValueError):
        unicode_to_legacy("abc", "utf-8")
    assert legacy_to_unicode("ViÖt", " TCVN3 ") == "Việt"
