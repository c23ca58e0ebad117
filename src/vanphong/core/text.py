"""Vietnamese text tools for the records system.

Pure Python (no Django imports) so it can be used from models, forms, management commands and tests:

* normalisation: :func:`nfc`, :func:`clean`, :func:`normalise_tone_placement`;
* search folding: :func:`fold`;
* collation keys that sort correctly under any database collation: :func:`sort_key`, :func:`name_sort_key`;
* person names: :func:`split_full_name`;
* numbers and money: :func:`number_in_words`, :func:`amount_in_words`, :func:`format_number`,
  :func:`format_money`;
* administrative dates: :func:`date_phrase`, :func:`date_line`;
* legacy encodings (TCVN3/ABC and VNI-Windows text that was read as Windows-1252):
  :func:`detect_legacy_encoding`, :func:`legacy_to_unicode`, :func:`unicode_to_legacy`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = [
    "amount_in_words",
    "clean",
    "date_line",
    "date_phrase",
    "detect_legacy_encoding",
    "fold",
    "format_money",
    "format_number",
    "legacy_to_unicode",
    "name_sort_key",
    "nfc",
    "normalise_tone_placement",
    "number_in_words",
    "sort_key",
    "split_full_name",
    "unicode_to_legacy",
]

# ---------------------------------------------------------------------------------------------------------
# Shared tables
# ---------------------------------------------------------------------------------------------------------

# The six tones in collation order (none, huyền, hỏi, ngã, sắc, nặng) as combining marks.
_TONE_MARKS: tuple[str, ...] = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

_BASE_VOWELS = "aăâeêioôơuưy"
_CONSONANTS = "bcdđfghjklmnpqrstvwxz"

# Collation alphabet: digits first, then the Vietnamese alphabet with the four letters that Vietnamese does
# not use (f, j, w, z) slotted in at their Latin positions so that foreign words still sort sensibly.
_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"


def _compose(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_MARKS[tone])


# Every Vietnamese letter (NFC, both cases, all tones) -> (lowercase base letter without tone, tone).
_LETTER_INFO: dict[str, tuple[str, int]] = {}
for _base in _BASE_VOWELS:
    for _tone in range(len(_TONE_MARKS)):
        _LETTER_INFO[_compose(_base, _tone)] = (_base, _tone)
        _LETTER_INFO[_compose(_base.upper(), _tone)] = (_base, _tone)
for _base in _CONSONANTS:
    _LETTER_INFO[_base] = (_base, 0)
    _LETTER_INFO[_base.upper()] = (_base, 0)

_VOWEL_CHARS = frozenset(ch for ch, (base, _t) in _LETTER_INFO.items() if base in _BASE_VOWELS)

# Characters that only exist in Unicode Vietnamese (outside Latin-1); their presence means "already Unicode".
_UNICODE_ONLY_LETTERS = frozenset(ch for ch in _LETTER_INFO if ord(ch) > 0xFF)

# Look-alikes of đ/Đ found in old data: the Icelandic eth (U+00D0 looks exactly like Đ U+0110).
_D_LOOKALIKES = {"Ð": "Đ", "ð": "đ"}

# ---------------------------------------------------------------------------------------------------------
# Normalisation and folding
# ---------------------------------------------------------------------------------------------------------

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
_TONED_A_E = "".join(_compose(v, t) for v in "aeAE" for t in range(1, 6))
_TONED_Y = "".join(_compose(v, t) for v in "yY" for t in range(1, 6))
_NOT_AFTER = re.escape("".join(sorted(_VOWEL_CHARS)) + "qQ")
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


# ---------------------------------------------------------------------------------------------------------
# Collation keys
# ---------------------------------------------------------------------------------------------------------
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

_LETTER_CODE: dict[str, int] = {ch: index + 2 for index, ch in enumerate(_ALPHABET)}
_END_OF_BASE = "00"
_WORD_SEPARATOR = "01"

# Exactly described characters: (level-1 token, tone digit, case digit).
_COLLATION: dict[str, tuple[str, int, int]] = {}
for _char, (_base, _tone) in _LETTER_INFO.items():
    _COLLATION[_char] = (f"{_LETTER_CODE[_base]:02d}", _tone, 1 if _char.isupper() else 0)
for _digit in "0123456789":
    _COLLATION[_digit] = (f"{_LETTER_CODE[_digit]:02d}", 0, 0)


def _collation_element(char: str) -> tuple[str, int, int] | None:
    """(token, tone, case) for a character that is not in _COLLATION, or None when it is ignored."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", char) if unicodedata.category(ch) != "Mn")
    stripped = _D_LOOKALIKES.get(stripped, stripped)
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


# ---------------------------------------------------------------------------------------------------------
# Numbers in words
# ---------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------
# Administrative dates
# ---------------------------------------------------------------------------------------------------------


def date_phrase(d: datetime.date) -> str:
    """Date phrase "ngày 05 tháng 3 năm 2026": days 1-9 and months 1-2 get a leading zero (HD 36-HD/VPTW)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def date_line(place: str, d: datetime.date) -> str:
    """Place and date line of a document: "Tân Hòa, ngày 05 tháng 3 năm 2026"."""
    return f"{place}, {date_phrase(d)}"


# ---------------------------------------------------------------------------------------------------------
# Legacy encodings: TCVN3 (ABC, TCVN 5712:1993 VN3) and VNI-Windows
# ---------------------------------------------------------------------------------------------------------
#
# Both encodings are 8-bit font hacks; text typed with them and later read as Windows-1252 (old .xls/.doc
# exports) shows Latin-1 characters in place of Vietnamese letters. All code points involved are in
# U+00A0..U+00FF, where Windows-1252 and Latin-1 agree.
#
# TCVN3 has one byte per letter but no uppercase toned vowels: "hoa" fonts (.VnTimeH) draw the lowercase
# bytes as capitals. Decoding therefore yields lowercase toned vowels; legacy_to_unicode() restores the case
# inside words that are otherwise in capitals (see _restore_tcvn3_case).
#
# VNI-Windows writes an ASCII base letter followed by a mark byte ("Vieät" = "Việt"), except for a few
# letters that have a single byte (đ ơ ư and the toned i and ỵ).

_TCVN3_BYTES: dict[str, str] = {
    # letter: (grave, hook, tilde, acute, dot below) in TCVN3 as read in Windows-1252
    "a": "µ¶·¸¹",
    "ă": "»¼½¾Æ",
    "â": "ÇÈÉÊË",
    "e": "ÌÎÏÐÑ",
    "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ",
    "o": "ßáâãä",
    "ô": "åæçèé",
    "ơ": "êëìíî",
    "u": "ïñòóô",
    "ư": "õö÷øù",
    "y": "úûüýþ",
}
_TCVN3_PLAIN = {
    "Ă": "¡",
    "Â": "¢",
    "Ê": "£",
    "Ô": "¤",
    "Ơ": "¥",
    "Ư": "¦",
    "Đ": "§",
    "ă": "¨",
    "â": "©",
    "ê": "ª",
    "ô": "«",
    "ơ": "¬",
    "ư": "\u00ad",  # soft hyphen
    "đ": "®",
}
_UNICODE_TO_TCVN3: dict[str, str] = dict(_TCVN3_PLAIN)
for _letter, _codes in _TCVN3_BYTES.items():
    for _tone, _code in enumerate(_codes, start=1):
        _UNICODE_TO_TCVN3[_compose(_letter, _tone)] = _code
_TCVN3_TO_UNICODE: dict[str, str] = {code: letter for letter, code in _UNICODE_TO_TCVN3.items()}
# Bytes whose case is not encoded (toned vowels exist in lowercase only).
_TCVN3_CASELESS = frozenset(code for codes in _TCVN3_BYTES.values() for code in codes)

# VNI marks: lowercase mark bytes; the uppercase forms are the same letters in uppercase (ø -> Ø ...).
_VNI_TONE = ("", "ø", "û", "õ", "ù", "ï")  # indexed like _TONE_MARKS
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")
_VNI_SINGLE = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò", "ỵ": "î"}


def _vni_lower(letter: str) -> str:
    """VNI encoding of one lowercase Vietnamese letter (from _LETTER_INFO), e.g. "ệ" -> "eä"."""
    if letter in _VNI_SINGLE:
        return _VNI_SINGLE[letter]
    base, tone = _LETTER_INFO[letter]
    if base in "âêô":
        return base.replace("â", "a").replace("ê", "e").replace("ô", "o") + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    if base in "ơư":
        return _VNI_SINGLE[base] + _VNI_TONE[tone]
    return base + _VNI_TONE[tone]


_UNICODE_TO_VNI: dict[str, str] = {}
for _char, (_base, _tone) in _LETTER_INFO.items():
    if _base not in _BASE_VOWELS and _base != "đ":
        continue
    _encoded = _vni_lower(_char.lower())
    if _encoded == _char.lower():
        continue  # plain a e i o u y, and ì í which VNI stores as themselves
    _UNICODE_TO_VNI[_char] = _encoded.upper() if _char.isupper() else _encoded

_VNI_SINGLE_TO_UNICODE: dict[str, str] = {}
_VNI_PAIR_TO_UNICODE: dict[str, str] = {}
for _char, _encoded in _UNICODE_TO_VNI.items():
    if len(_encoded) == 1:
        _VNI_SINGLE_TO_UNICODE[_encoded] = _char
        continue
    # Accept either case for the mark byte; the base letter decides the case of the result.
    _VNI_PAIR_TO_UNICODE[_encoded[0] + _encoded[1].lower()] = _char
    _VNI_PAIR_TO_UNICODE[_encoded[0] + _encoded[1].upper()] = _char
# Some converters write ỵ as "y" + dot below like the other vowels.
for _y, _dot, _result in (("y", "ï", "ỵ"), ("Y", "Ï", "Ỵ")):
    _VNI_PAIR_TO_UNICODE.setdefault(_y + _dot, _result)
    _VNI_PAIR_TO_UNICODE.setdefault(_y + _dot.swapcase(), _result)

_ENCODINGS = ("tcvn3", "vni")


def _check_encoding(encoding: str) -> str:
    name = encoding.strip().lower()
    if name not in _ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected 'tcvn3' or 'vni'")
    return name


def unicode_to_legacy(text: str, encoding: str) -> str:
    """Encode Unicode Vietnamese as TCVN3 or VNI text (as read in Windows-1252). Mainly for tests/exports.

    TCVN3 has no uppercase toned vowels, so "Ủ" is written with the byte of "ủ" (as .VnTimeH users did).
    """
    name = _check_encoding(encoding)
    text = nfc(text)
    if name == "vni":
        return "".join(_UNICODE_TO_VNI.get(char, char) for char in text)
    out: list[str] = []
    for char in text:
        code = _UNICODE_TO_TCVN3.get(char)
        if code is None and char.isupper():
            code = _UNICODE_TO_TCVN3.get(char.lower())
        out.append(code if code is not None else char)
    return "".join(out)


def _decode_vni(text: str) -> str:
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        pair = _VNI_PAIR_TO_UNICODE.get(text[index : index + 2]) if index + 1 < length else None
        if pair is not None:
            out.append(pair)
            index += 2
            continue
        out.append(_VNI_SINGLE_TO_UNICODE.get(text[index], text[index]))
        index += 1
    return "".join(out)


def _decode_tcvn3(text: str) -> str:
    return "".join(_TCVN3_TO_UNICODE.get(char, char) for char in text)


def _restore_tcvn3_case(source: str, decoded: str) -> str:
    """Uppercase caseless toned vowels inside words written in capitals ("NGHÞ" -> "NGHỊ", not "NGHị").

    A word (run of letters) has its caseless letters uppercased when its other letters contain no
    lowercase letter and either at least two uppercase letters, or fewer but every neighbouring word on
    the same line is itself in capitals ("X·" in "CéNG HOµ X· HéI" -> "XÃ"). Text typed entirely in
    lowercase bytes with a .VnTimeH font cannot be told apart from lowercase text and stays lowercase.
    """
    chars = list(decoded)
    # TCVN3 maps each source character to exactly one character, so positions line up.
    words: list[tuple[int, int, int, int, bool, int]] = []  # start, end, upper, lower, caseless, line
    line = 0
    index = 0
    length = len(chars)
    while index < length:
        if chars[index] == "\n":
            line += 1
        if not chars[index].isalpha():
            index += 1
            continue
        start = index
        upper = lower = 0
        caseless = False
        while index < length and chars[index].isalpha():
            if source[index] in _TCVN3_CASELESS:
                caseless = True
            elif chars[index].isupper():
                upper += 1
            elif chars[index].islower():
                lower += 1
            index += 1
        words.append((start, index, upper, lower, caseless, line))

    def is_capitals(position: int) -> bool:
        _start, _end, upper, lower, _caseless, _line = words[position]
        return lower == 0 and upper >= 2

    for position, (start, end, upper, lower, caseless, word_line) in enumerate(words):
        if not caseless or lower:
            continue
        if upper < 2:
            neighbours = [
                other
                for other in (position - 1, position + 1)
                if 0 <= other < len(words) and words[other][5] == word_line
            ]
            if not neighbours or not all(is_capitals(other) for other in neighbours):
                continue
        for offset in range(start, end):
            if source[offset] in _TCVN3_CASELESS:
                chars[offset] = chars[offset].upper()
    return "".join(chars)


# Vietnamese syllable structure (onset, nucleus, coda; untoned, lowercase). Used only to score detection
# candidates, so it aims at telling real syllables from mis-decoded ones, not at being a full grammar.
_ONSETS = (
    "",
    *[
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "gh",
        "gi",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "ngh",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ],
)
_CODAS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t")
# Nucleus -> (tone positions allowed in an open syllable, in a closed one; None = cannot take a coda).
# Glide-final nuclei ("ai", "ao", "iêu" ...) never take a coda and carry the tone on their main vowel;
# "oa", "oe", "uy" accept both tone placements when open ("hoà"/"hòa") and the second vowel when closed.
_NUCLEI: dict[str, tuple[frozenset[int], frozenset[int] | None]] = {}
_FIRST, _SECOND, _THIRD, _EITHER = frozenset({0}), frozenset({1}), frozenset({2}), frozenset({0, 1})
_NONE: frozenset[int] = frozenset()
for _names, _open, _closed in (
    ("a ă â e ê i o ô ơ u ư y", _FIRST, _FIRST),
    ("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu", _FIRST, None),
    ("iêu yêu oai oay oeo uây uôi ươi ươu uya uyu", _SECOND, None),
    ("iê yê uô ươ oă uâ uê uơ", _SECOND, _SECOND),
    ("oa oe uy", _EITHER, _SECOND),
    ("uyê", _THIRD, _THIRD),
):
    for _nucleus in _names.split():
        _NUCLEI[_nucleus] = (_open, _closed)
for _nucleus in ("ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê"):
    _NUCLEI[_nucleus] = (_NONE, _NUCLEI[_nucleus][1])  # written only with a coda ("tiên", not "tiê")
_BEFORE_CH_NH = frozenset(("a", "ê", "i", "y", "oa", "uê", "uy"))
_NOT_BEFORE_C_NG = frozenset(("i", "ê", "y", "uy", "uê"))


def _spelling_ok(onset: str, nucleus: str, coda: str, tone: int, tone_at: int) -> bool:
    """Vietnamese spelling rules for one parse of a syllable (``tone_at``: index in the nucleus)."""
    rule = _NUCLEI.get(nucleus)
    if rule is None:
        return False
    positions = rule[1] if coda else rule[0]
    if positions is None or not positions or (tone and tone_at not in positions):
        return False
    first = nucleus[0]
    if onset in ("k", "gh", "ngh") and first not in ("ieêy" if onset == "k" else "ieê"):
        return False  # k, gh, ngh only before i, e, ê (k also before y)
    if onset in ("c", "ng") and first in "ieêy":
        return False  # ... and c, ng never there
    if onset == "g" and first in "eêy":
        return False  # "g" + i is the "gi" onset ("gì"); e/ê need "gh"
    if onset == "qu" and first in "ouư":
        return False  # the u of "qu" is already the glide
    if coda in ("ch", "nh") and nucleus not in _BEFORE_CH_NH:
        return False
    if coda in ("c", "ng") and nucleus in _NOT_BEFORE_C_NG:
        return False
    # Syllables closed by a stop consonant only take the sắc (4) or nặng (5) tone.
    return not (coda in ("c", "ch", "p", "t") and tone not in (4, 5))


def _is_syllable(word: str, check_case: bool = True) -> bool:
    """Whether ``word`` is one well-formed Vietnamese syllable (lower, Title or UPPER case if checked)."""
    if check_case and not (word.islower() or word.isupper() or word.istitle()):
        return False
    bases: list[str] = []
    tone = 0
    tone_index = -1
    for index, char in enumerate(word.lower()):
        info = _LETTER_INFO.get(char)
        if info is None:
            return False
        if info[1]:
            if tone:
                return False
            tone, tone_index = info[1], index
        bases.append(info[0])
    syllable = "".join(bases)
    for onset in _ONSETS:
        if not syllable.startswith(onset):
            continue
        for coda in _CODAS:
            end = len(syllable) - len(coda)
            if end <= len(onset) or not syllable.endswith(coda):
                continue
            nucleus = syllable[len(onset) : end]
            if _spelling_ok(onset, nucleus, coda, tone, tone_index - len(onset)):
                return True
    return False


_LEGACY_WORD_RE = re.compile("[A-Za-z\u00a1-\u00ff]+")


def _score(words: list[str], decode: str | None) -> tuple[int, int]:
    """(valid - invalid, valid) syllable counts for the words decoded with one candidate encoding."""
    valid = 0
    for word in words:
        if decode == "tcvn3":
            word = _decode_tcvn3(word)
        elif decode == "vni":
            word = _decode_vni(word)
        # TCVN3 cannot encode uppercase toned vowels, so its decodings may mix case legitimately.
        valid += _is_syllable(word, check_case=decode != "tcvn3")
    return 2 * valid - len(words), valid


def detect_legacy_encoding(text: str) -> str | None:
    """Guess whether ``text`` is TCVN3 ("tcvn3") or VNI-Windows ("vni") read as Windows-1252.

    Returns None for plain ASCII and for text that is already Unicode Vietnamese. Every word holding a
    character in U+00A1..U+00FF is decoded with each candidate and checked against Vietnamese syllable
    structure (onset, nucleus, coda, one tone, stop codas only with sắc/nặng); a legacy encoding wins only
    if it explains strictly more words than reading the text as it is. On a tie TCVN3 is preferred.
    """
    if any(char in _UNICODE_ONLY_LETTERS for char in text):
        return None
    words = [word for word in _LEGACY_WORD_RE.findall(text) if any(ord(char) > 0x7F for char in word)]
    if not words:
        return None
    baseline = _score(words, None)
    best: str | None = None
    best_score = baseline
    for name in _ENCODINGS:
        score = _score(words, name)
        if score[1] > 0 and score > best_score:
            best, best_score = name, score
    return best


def legacy_to_unicode(text: str, encoding: str | None = None) -> str:
    """Convert TCVN3 or VNI text (read as Windows-1252) to NFC Unicode.

    With ``encoding=None`` the encoding is detected and text that is not legacy comes back unchanged.
    TCVN3 cannot encode uppercase toned vowels; they come back lowercase except inside words written in
    capitals, which are restored (see _restore_tcvn3_case).
    """
    name = detect_legacy_encoding(text) if encoding is None else _check_encoding(encoding)
    if name is None:
        return text
    if name == "vni":
        return nfc(_decode_vni(text))
    return nfc(_restore_tcvn3_case(text, _decode_tcvn3(text)))
