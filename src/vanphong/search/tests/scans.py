"""Scans for OCR tests and the OCR benchmark: real Vietnamese administrative text rendered with
a TrueType font that has the Vietnamese glyphs, at 300 dpi, saved as a PDF without a text layer."""

from __future__ import annotations

import difflib
import io
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

DPI = 300
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 1.0
POINT_SIZE = 13  # Party documents are typed at 13–14 pt

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",  # Times New Roman metrics
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",  # older: may lack ỷ, ợ ...
)

RESOLUTION = "\n".join(
    (
        "TỈNH ỦY NGỌC SƠN",
        "Số 12-NQ/TU",
        "NGHỊ QUYẾT",
        "về đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
        "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi"
        " mới sáng tạo và chuyển đổi số quốc gia, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng "
        "tập trung lãnh đạo, chỉ đạo thực hiện tốt các nhiệm vụ sau đây:",
        "1. Nâng cao nhận thức của cán bộ, đảng viên về vai trò của chuyển đổi số trong công tác xây dựng"
        " Đảng; người đứng đầu cấp ủy trực tiếp phụ trách.",
        "2. Hoàn thiện hạ tầng kỹ thuật, bảo đảm an toàn, an ninh thông tin và bảo vệ bí mật nhà nước "
        "trong hệ thống các cơ quan Đảng.",
        "3. Số hóa hồ sơ, tài liệu lưu trữ; quản lý văn bản đến, văn bản đi và hồ sơ công việc trên môi "
        "trường điện tử.",
        "4. Văn phòng Tỉnh ủy chủ trì, phối hợp với các ban xây dựng đảng theo dõi, đôn đốc, định kỳ sáu "
        "tháng báo cáo Ban Thường vụ Tỉnh ủy.",
        "Nghị quyết này được phổ biến đến chi bộ và đảng viên.",
    )
)

# Other pages for the benchmark: routine administrative prose.
REPORT = "\n".join(
    (
        "Báo cáo kết quả công tác văn phòng cấp ủy sáu tháng đầu năm",
        "Trong sáu tháng đầu năm, Văn phòng Tỉnh ủy đã tiếp nhận, xử lý kịp thời các văn bản đến của "
        "Trung ương, của Tỉnh ủy và các cơ quan, đơn vị; tham mưu Thường trực Tỉnh ủy chỉ đạo giải quyết "
        "nhiều vụ việc phức tạp, tồn đọng kéo dài.",
        "Công tác tổng hợp, theo dõi việc thực hiện các nghị quyết, chỉ thị, kết luận của cấp ủy được duy"
        " trì thường xuyên; việc đôn đốc, kiểm tra được tiến hành theo đúng quy chế làm việc.",
        "Công tác văn thư, lưu trữ bảo đảm đúng quy định; hồ sơ, tài liệu được lập, nộp lưu vào lưu trữ "
        "cơ quan đầy đủ; việc quản lý con dấu, văn bản mật được thực hiện nghiêm túc.",
        "Phương hướng, nhiệm vụ sáu tháng cuối năm: tiếp tục nâng cao chất lượng tham mưu, phục vụ; đẩy "
        "mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của văn phòng cấp ủy.",
    )
)


@cache
def font_path() -> Path | None:
    """A font of this machine that has every glyph of the texts above, or None."""
    from fontTools.ttLib import TTFont

    needed = {char for char in RESOLUTION + REPORT if not char.isspace()}
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if not path.is_file():
            continue
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap() or {}
        if all(ord(char) in cmap for char in needed):
            return path
    return None


def _wrap(text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def render_page(text: str, *, dpi: int = DPI, point_size: int = POINT_SIZE) -> tuple[Image.Image, str]:
    """A white A4 page with the text in black (wrapped to the margins), and the text as laid out
    (one line per rendered line), to compare OCR output with."""
    path = font_path()
    if path is None:
        raise RuntimeError("no font with Vietnamese glyphs (apt-get install fonts-liberation2)")
    width, height = (round(side * dpi) for side in A4_INCHES)
    margin = round(MARGIN_INCHES * dpi)
    font = ImageFont.truetype(str(path), round(point_size * dpi / 72))
    lines = _wrap(text, font, width - 2 * margin)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    step = round(point_size * dpi / 72 * 1.5)
    for number, line in enumerate(lines):
        draw.text((margin, margin + number * step), line, font=font, fill=0)
    return image, "\n".join(lines)


def scanned_pdf(*pages: Image.Image, dpi: int = DPI) -> bytes:
    """The pages as a PDF of images only, like a scanner makes (no text layer)."""
    buffer = io.BytesIO()
    first, *rest = pages
    first.save(buffer, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return buffer.getvalue()


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def character_accuracy(expected: str, actual: str) -> float:
    """1 − (character edits / expected length), on NFC text with whitespace normalised."""
    reference, hypothesis = normalised(expected), normalised(actual)
    if not reference:
        return 1.0 if not hypothesis else 0.0
    edits = 0
    matcher = difflib.SequenceMatcher(None, reference, hypothesis, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits += max(i2 - i1, j2 - j1)
    return max(0.0, 1 - edits / len(reference))
