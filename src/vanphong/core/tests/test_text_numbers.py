"""Numbers, money and administrative dates: core.text."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest

from vanphong.core.text import (
    amount_in_words,
    date_line,
    date_phrase,
    format_money,
    format_number,
    number_in_words,
)

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
