"""What a Party document is made of (`RenderInput`: the final strings) and how it is laid out
(`Layout`: page, margins, fonts, sizes, alignment, marks), read from `data/party_format.json`."""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from docx.enum.text import WD_ALIGN_PARAGRAPH


def nfc(text: str) -> str:
    # FACTS.md §10: Vietnamese text is stored and output in NFC.
    return unicodedata.normalize("NFC", text)


class RenderingError(RuntimeError):
    """The document could not be rendered."""


Alignment = Literal["left", "center", "right", "justify"]

_ALIGNMENTS: dict[str, WD_ALIGN_PARAGRAPH] = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


@dataclass(frozen=True)
class RenderInput:
    superior_body: str  # line 1 of the issuing-body block, e.g. "ĐẢNG BỘ TỈNH NGỌC SƠN" (may be "")
    issuing_body: str  # line 2, bold, e.g. "TỈNH ỦY NGỌC SƠN" or "BAN THƯỜNG VỤ TỈNH ỦY"
    number_line: str  # "Số 12-NQ/TU", or "Số    -NQ/TU" on drafts (number left blank)
    place_date_line: str  # "Ngọc Sơn, ngày 05 tháng 3 năm 2026"
    type_name: str  # "NGHỊ QUYẾT"; "" for a công văn, whose summary then goes under the number
    summary: str  # trích yếu
    body: str  # one paragraph a line (blank lines are dropped), each indented
    recipients: list[str]  # "Nơi nhận:" lines
    signing_authority: str  # "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "T/L ...", or "" (own name)
    signer_title: str  # "BÍ THƯ", "PHÓ BÍ THƯ", "CHÁNH VĂN PHÒNG"
    signer_name: str  # "Hoàng Quang Thịnh"
    secrecy: str = ""  # "", "MẬT", "TỐI MẬT", "TUYỆT MẬT"
    urgency: str = ""  # "", "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"
    draft: bool = False  # True: a "DỰ THẢO" mark, and no signer name is required
    copies_note: str = ""  # optional line under the recipients, e.g. "Số bản: 05"
    addressees: tuple[str, ...] = ()  # whom a công văn is addressed to, after "Kính gửi:"


@dataclass(frozen=True)
class TextStyle:
    size_pt: float
    bold: bool = False
    italic: bool = False
    underline: bool = False
    boxed: bool = False
    alignment: Alignment = "left"
    text: str = ""  # fixed text of the element (heading, "Nơi nhận:", "- " prefix...), if any
    space_before_pt: float = 0
    space_after_pt: float = 0
    first_line_indent_cm: float = 0
    left_indent_cm: float = 0
    line_spacing: float = 1.0
    blank_lines: int = 0
    allowed: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class PageLayout:
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    header_distance_mm: float
    footer_distance_mm: float
    source: str = ""

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm


@dataclass(frozen=True)
class ColumnsLayout:
    left_width_mm: float
    right_width_mm: float
    space_before_pt: float = 0
    source: str = ""


@dataclass(frozen=True)
class Layout:
    regulation: str
    confidence: str
    source: str
    page: PageLayout
    font_name: str
    font_size_pt: float
    language: str
    header_table: ColumnsLayout
    signature_table: ColumnsLayout
    first_numbered_page: int
    page_number_position: Literal["top", "bottom"]
    styles: dict[str, TextStyle] = field(default_factory=dict)

    def style(self, name: str) -> TextStyle:
        try:
            return self.styles[name]
        except KeyError:
            raise KeyError(f"party_format.json has no style {name!r}") from None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        page = PageLayout(**data["page"])
        styles: dict[str, TextStyle] = {}
        for name, raw in data["styles"].items():
            values = dict(raw)
            if values.get("alignment", "left") not in _ALIGNMENTS:
                raise ValueError(f"style {name}: unknown alignment {values['alignment']!r}")
            values["text"] = nfc(values.get("text", ""))
            values["allowed"] = tuple(nfc(level) for level in values.get("allowed", ()))
            styles[name] = TextStyle(**values)
        numbering = data["page_numbers"]
        first_numbered = int(numbering["first_numbered_page"])
        if first_numbered not in (1, 2):
            raise ValueError("page_numbers.first_numbered_page must be 1 or 2")
        position = numbering["position"]
        if position not in ("top", "bottom"):
            raise ValueError("page_numbers.position must be 'top' or 'bottom'")
        layout = cls(
            regulation=data["regulation"],
            confidence=data["confidence"],
            source=data["source"],
            page=page,
            font_name=data["font"]["name"],
            font_size_pt=float(data["font"]["default_size_pt"]),
            language=data["font"]["language"],
            header_table=ColumnsLayout(**data["header_table"]),
            signature_table=ColumnsLayout(**data["signature_table"]),
            first_numbered_page=first_numbered,
            page_number_position=position,
            styles=styles,
        )
        for required in _REQUIRED_STYLES:
            layout.style(required)
        return layout


_REQUIRED_STYLES = (
    "party_heading",
    "superior_body",
    "issuing_body",
    "star",
    "number",
    "place_date",
    "subject_line",
    "secrecy_mark",
    "urgency_mark",
    "draft_mark",
    "type_name",
    "summary",
    "body",
    "recipients_heading",
    "recipient",
    "copies_note",
    "signing_authority",
    "signer_title",
    "signature_space",
    "signer_name",
    "page_number",
)


@functools.cache
def load_layout() -> Layout:
    """The Party document layout from data/party_format.json (read once)."""
    text = resources.files("vanphong.documents").joinpath("data/party_format.json").read_text("utf-8")
    return Layout.from_dict(json.loads(text))
