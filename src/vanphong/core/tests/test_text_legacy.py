"""Legacy encodings (TCVN3, VNI): core.text."""

from __future__ import annotations

import unicodedata

import pytest

from vanphong.core.tests.vietnamese import all_vowels
from vanphong.core.text import (
    detect_legacy_encoding,
    legacy_to_unicode,
    unicode_to_legacy,
)

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
