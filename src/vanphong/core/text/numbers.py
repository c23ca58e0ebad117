"""Numbers and money in words and in figures, the Vietnamese way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_MAX_NUMBER = 10**18 - 1


def _group_words(group: int, full: bool) -> list[str]:
    """Words for 1..999. ``full`` reads the hundreds even when zero ("không trăm"), as inside a number."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGIT_WORDS[units])
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGIT_WORDS[units])
    else:
        words += [_DIGIT_WORDS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGIT_WORDS[units]))
    return words


def _below_billion_words(number: int, full: bool) -> list[str]:
    """Words for 1..999 999 999; ``full`` when a higher part (tỷ) has already been read."""
    words: list[str] = []
    for scale, unit in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group = number // scale % 1000
        if group == 0:
            continue  # all-zero groups are omitted entirely ("một triệu không trăm linh một")
        words += _group_words(group, full)
        if unit:
            words.append(unit)
        full = True
    return words


def number_in_words(n: int) -> str:
    """Vietnamese reading of an integer with |n| < 10^18, as used in accounting documents.

    Conventions (those of Vietnamese accounting software such as MISA): "linh" for a zero tens digit
    (105 "một trăm linh năm"); "mốt" for 1, "tư" for 4 and "lăm" for 5 after "mươi" (21, 24, 25), "lăm"
    after "mười" (15); inside a number a group below 100 is read with "không trăm" (1005 "một nghìn không
    trăm linh năm"); all-zero groups are omitted (1 000 001 "một triệu không trăm linh một"); above a
    billion the multiplier of "tỷ" is read as a number (10^12 "một nghìn tỷ"). Negatives start with "âm".
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_in_words() needs an int, not {type(n).__name__}")
    if abs(n) > _MAX_NUMBER:
        raise ValueError("number_in_words() supports |n| < 10**18")
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_in_words(-n)
    billions, rest = divmod(n, 10**9)
    if billions:
        words = [*_below_billion_words(billions, False), "tỷ"]
        if rest:
            words += _below_billion_words(rest, True)
    else:
        words = _below_billion_words(rest, False)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """Amount in words, capitalised, with "đồng": 2025 -> "Hai nghìn không trăm hai mươi lăm đồng"."""
    words = number_in_words(amount)
    return words[0].upper() + words[1:] + " đồng"


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Vietnamese number formatting: "1.234.567", with decimals=1 "1.234.567,5", negatives "-1.234".

    Rounds half away from zero (ROUND_HALF_UP); floats are converted through their shortest repr, so
    format_number(2.675, 2) is "2,68". A result that rounds to zero never carries a minus sign.
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = Decimal(int(value))
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r}")
    context = Context(prec=max(number.adjusted(), 0) + decimals + 3, rounding=ROUND_HALF_UP)
    rounded = number.quantize(Decimal(1).scaleb(-decimals), context=context)
    if rounded.is_zero():
        rounded = abs(rounded)
    formatted = format(rounded, f",.{decimals}f")
    return formatted.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_money(amount: int) -> str:
    """Money in đồng: 1500000 -> "1.500.000 đồng"."""
    return f"{format_number(amount)} đồng"
