"""The Party document as DOCX (python-docx), laid out as `layout.Layout` says."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from vanphong.core import bounds
from vanphong.documents.rendering.layout import (
    _ALIGNMENTS,
    Layout,
    RenderInput,
    TextStyle,
    load_layout,
    nfc,
)


def _paragraphs(body: str) -> list[str]:
    """One paragraph a line of the body (each indented as the body's style says); blank lines only
    separate. A clerk types a paragraph a line: a single line break is a new paragraph, not a break
    inside one, which would lose the paragraph's first-line indent."""
    normalised = nfc(body).replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in normalised.split("\n") if line.strip()]


# A công văn's summary follows "V/v " (về việc, HD 36-HD/VPTW): a summary typed with its own "V/v",
# "Về việc" or "Về" is not given a second one.
_OWN_SUBJECT_PREFIX = re.compile(r"^(?:v/v|về việc)\s*[:.]?\s*|^về\s+", re.IGNORECASE)


def subject_line(prefix: str, summary: str) -> str:
    """The summary under a công văn's number: "V/v " and the summary without a prefix of its own."""
    text = nfc(summary.strip())
    while (stripped := _OWN_SUBJECT_PREFIX.sub("", text, count=1)) != text:
        text = stripped
    return prefix + text


def _set_run_fonts(element: Any, font_name: str, language: str | None = None) -> None:
    """Set the font for every script slot (Word otherwise picks another font for some characters)."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), font_name)
    if language:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), language)


def _box_run(run: Run) -> None:
    """A border around the run's characters (Word and LibreOffice both support w:bdr)."""
    rpr = run._r.get_or_add_rPr()
    border = OxmlElement("w:bdr")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "8")
    border.set(qn("w:space"), "1")
    border.set(qn("w:color"), "auto")
    rpr.append(border)


def _preserve_spaces(run: Run) -> None:
    # Drafts leave the number blank ("Số    -NQ/TU"): keep runs of spaces as typed.
    for text in run._r.findall(qn("w:t")):
        text.set(qn("xml:space"), "preserve")


def _add_text(paragraph: Paragraph, text: str, style: TextStyle) -> None:
    # Text stored before inputs were cleaned may hold control characters, which XML cannot carry.
    lines = bounds.clean_text(text).split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.size = Pt(style.size_pt)
        run.font.bold = style.bold
        run.font.italic = style.italic
        run.font.underline = style.underline
        _preserve_spaces(run)
        if style.boxed:
            _box_run(run)
        if index < len(lines) - 1:
            run.add_break()


def _format_paragraph(paragraph: Paragraph, style: TextStyle) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGNMENTS[style.alignment]
    fmt.space_before = Pt(style.space_before_pt)
    fmt.space_after = Pt(style.space_after_pt)
    fmt.line_spacing = style.line_spacing
    if style.first_line_indent_cm:
        fmt.first_line_indent = Cm(style.first_line_indent_cm)
    if style.left_indent_cm:
        fmt.left_indent = Cm(style.left_indent_cm)


def _write(paragraph: Paragraph, text: str, style: TextStyle) -> Paragraph:
    _format_paragraph(paragraph, style)
    if text:
        _add_text(paragraph, text, style)
    else:
        # An empty line keeps the height of the style's font size.
        paragraph.paragraph_format.line_spacing = Pt(style.size_pt * 1.15)
    return paragraph


def _cell_paragraph(cell: _Cell) -> Paragraph:
    """The cell's first paragraph if it is still empty, else a new one."""
    first: Paragraph = cell.paragraphs[0]
    if not first.runs and len(cell.paragraphs) == 1 and not first.text:
        return first
    added: Paragraph = cell.add_paragraph()
    return added


def _borderless_table(document: Any, rows: int, widths_mm: tuple[float, float]) -> Table:
    table: Table = document.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    # Cell padding 0.1 cm left and right, none above and below.
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 0), ("left", 57), ("bottom", 0), ("right", 57)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _keep_row_together(table: Table) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)


def _add_page_number_field(paragraph: Paragraph, style: TextStyle) -> None:
    """A PAGE field: begin / instruction / separate / placeholder / end."""
    parts: list[tuple[str, str | None]] = [
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "2"),
        ("end", None),
    ]
    for kind, value in parts:
        run = paragraph.add_run()
        run.font.size = Pt(style.size_pt)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
        elif kind == "text":
            run.text = value or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _setup_document(layout: Layout) -> Any:
    document = Document()
    page = layout.page
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.header_distance = Mm(page.header_distance_mm)
    section.footer_distance = Mm(page.footer_distance_mm)

    # Default font for the whole document: the Normal style and the document defaults.
    normal = document.styles["Normal"]
    normal.font.name = layout.font_name
    normal.font.size = Pt(layout.font_size_pt)
    _set_run_fonts(normal.element, layout.font_name, layout.language)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    doc_defaults = document.styles.element.find(qn("w:docDefaults"))
    if doc_defaults is not None:
        rpr_default = doc_defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                rfonts = rpr.find(qn("w:rFonts"))
                if rfonts is None:
                    rfonts = OxmlElement("w:rFonts")
                    rpr.insert(0, rfonts)
                for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                    rfonts.set(qn(slot), layout.font_name)
                for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                    rfonts.attrib.pop(qn(theme), None)

    # A line ended by a manual break in a justified paragraph stays unstretched (Word and LibreOffice).
    compat = document.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        document.settings.element.append(compat)
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))

    # HD 36-HD/VPTW: page numbers from page 2 (layout data), centred in the top or bottom margin.
    # Page 1 always has its own header (it carries the draft mark on drafts).
    number_style = layout.style("page_number")
    section.different_first_page_header_footer = True
    top = layout.page_number_position == "top"
    containers = [section.header if top else section.footer]
    if layout.first_numbered_page == 1:
        containers.append(section.first_page_header if top else section.first_page_footer)
    for container in containers:
        number_paragraph = _first_paragraph(container.paragraphs)
        _format_paragraph(number_paragraph, number_style)
        _add_page_number_field(number_paragraph, number_style)
    return document


def _first_paragraph(paragraphs: list[Paragraph]) -> Paragraph:
    """The first paragraph of a header or footer; later content goes into new paragraphs after it."""
    first = paragraphs[0]
    return _append_after(paragraphs[-1]) if first.runs else first


def _append_after(paragraph: Paragraph) -> Paragraph:
    new = OxmlElement("w:p")
    paragraph._p.addnext(new)
    return Paragraph(new, paragraph._parent)


def _validate(doc: RenderInput, layout: Layout) -> None:
    if not doc.issuing_body.strip():
        raise ValueError("issuing_body is required")
    if not doc.number_line.strip():
        raise ValueError("number_line is required")
    # HD 36-HD/VPTW: an issued document carries the signer's full name; a draft may leave it out.
    if not doc.draft and not doc.signer_name.strip():
        raise ValueError("signer_name is required on an issued (non-draft) document")
    # Law on State Secrets 29/2018/QH14: Mật < Tối mật < Tuyệt mật (levels listed in the layout data).
    secrecy = layout.style("secrecy_mark")
    if doc.secrecy and nfc(doc.secrecy) not in secrecy.allowed:
        raise ValueError(f"unknown secrecy level {doc.secrecy!r}; expected one of {secrecy.allowed}")
    urgency = layout.style("urgency_mark")
    if doc.urgency and nfc(doc.urgency) not in urgency.allowed:
        raise ValueError(f"unknown urgency level {doc.urgency!r}; expected one of {urgency.allowed}")


def _build_header(document: Any, doc: RenderInput, layout: Layout) -> None:
    """First-page header block (HD 36-HD/VPTW): issuing body left, Party heading right.

    Rows keep the two columns level: superior body | heading, issuing body | -, * | -,
    number | place-date; then, in the left column, the công văn summary and the marks.
    """
    left: list[tuple[str, TextStyle]] = []
    right: list[tuple[str, TextStyle]] = []
    heading = layout.style("party_heading")
    if doc.superior_body.strip():
        left.append((nfc(doc.superior_body.strip()), layout.style("superior_body")))
        right.append((heading.text, heading))
        left.append((nfc(doc.issuing_body.strip()), layout.style("issuing_body")))
        right.append(("", heading))
    else:
        left.append((nfc(doc.issuing_body.strip()), layout.style("issuing_body")))
        right.append((heading.text, heading))
    star = layout.style("star")
    left.append((star.text, star))
    right.append(("", heading))
    left.append((nfc(doc.number_line), layout.style("number")))
    right.append((nfc(doc.place_date_line.strip()), layout.style("place_date")))
    # HD 36-HD/VPTW: a công văn has no type name; its summary ("V/v ...") goes under the number.
    if not doc.type_name.strip() and doc.summary.strip():
        subject = layout.style("subject_line")
        left.append((subject_line(subject.text, doc.summary), subject))
    # HD 36-HD/VPTW: secrecy mark, then urgency mark, below the number (placement: L, check the text).
    marks: list[tuple[str, TextStyle]] = []
    if doc.secrecy:
        marks.append((nfc(doc.secrecy), layout.style("secrecy_mark")))
    if doc.urgency:
        marks.append((nfc(doc.urgency), layout.style("urgency_mark")))

    widths = (layout.header_table.left_width_mm, layout.header_table.right_width_mm)
    table = _borderless_table(document, len(left), widths)
    for row, (text, style) in zip(table.rows, left, strict=True):
        _write(_cell_paragraph(row.cells[0]), text, style)
    for row, (text, style) in zip(table.rows, right, strict=False):
        if text:
            _write(_cell_paragraph(row.cells[1]), text, style)
    if marks:
        last = table.rows[-1].cells[0]
        for index, (text, style) in enumerate(marks):
            paragraph = _write(last.add_paragraph(), text, style)
            paragraph.paragraph_format.space_before = Pt(6 if index == 0 else 3)


def render_docx(doc: RenderInput, layout: Layout | None = None) -> bytes:
    """The Party document as DOCX bytes, laid out per HD 36-HD/VPTW (values from the layout data)."""
    layout = layout or load_layout()
    _validate(doc, layout)
    document = _setup_document(layout)

    if doc.draft:
        # The mark sits in the first page's header, at the top right, above the header block,
        # so a draft's page 1 has the same layout as the issued document.
        draft = layout.style("draft_mark")
        section = document.sections[0]
        _write(_first_paragraph(section.first_page_header.paragraphs), draft.text, draft)

    _build_header(document, doc, layout)

    if doc.type_name.strip():
        type_style = layout.style("type_name")
        type_paragraph = _write(document.add_paragraph(), nfc(doc.type_name.strip()), type_style)
        type_paragraph.paragraph_format.keep_with_next = True
        if doc.summary.strip():
            summary_style = layout.style("summary")
            summary = _write(document.add_paragraph(), nfc(doc.summary.strip()), summary_style)
            summary.paragraph_format.keep_with_next = True
        else:
            type_paragraph.paragraph_format.space_after = Pt(layout.style("summary").space_after_pt)
    else:
        # A công văn: its summary is in the header; leave the summary's gap before the body.
        spacer = _write(document.add_paragraph(), "", layout.style("body"))
        spacer.paragraph_format.space_after = Pt(layout.style("summary").space_after_pt)
    _build_addressees(document, doc, layout)

    body_style = layout.style("body")
    for block in _paragraphs(doc.body):
        _write(document.add_paragraph(), block, body_style)

    _build_signature(document, doc, layout)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _build_addressees(document: Any, doc: RenderInput, layout: Layout) -> None:
    """ "Kính gửi: ..." above the body: one addressee on the line, several one a line after a "- "."""
    if not doc.addressees:
        return
    heading, item = layout.style("addressee"), layout.style("addressee_item")
    if len(doc.addressees) == 1:
        _write(document.add_paragraph(), heading.text + nfc(doc.addressees[0]), heading)
        return
    _write(document.add_paragraph(), heading.text.rstrip(), heading).paragraph_format.space_after = Pt(0)
    for index, name in enumerate(doc.addressees):
        end = ";" if index < len(doc.addressees) - 1 else "."
        line = _write(document.add_paragraph(), item.text + nfc(name).rstrip(",;.") + end, item)
        line.paragraph_format.space_after = Pt(item.space_after_pt if end == "." else 0)


def _build_signature(document: Any, doc: RenderInput, layout: Layout) -> None:
    """Recipients left, signature block right (HD 36-HD/VPTW), in a borderless two-column table."""
    widths = (layout.signature_table.left_width_mm, layout.signature_table.right_width_mm)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(layout.signature_table.space_before_pt)
    spacer.paragraph_format.line_spacing = Pt(1)
    spacer.paragraph_format.keep_with_next = True
    table = _borderless_table(document, 1, widths)
    _keep_row_together(table)
    left, right = table.rows[0].cells

    heading = layout.style("recipients_heading")
    _write(_cell_paragraph(left), heading.text, heading)
    recipient = layout.style("recipient")
    for line in doc.recipients:
        if line.strip():
            _write(left.add_paragraph(), recipient.text + nfc(line.strip()), recipient)
    if doc.copies_note.strip():
        _write(left.add_paragraph(), nfc(doc.copies_note.strip()), layout.style("copies_note"))

    # HD 36-HD/VPTW: authority ("T/M BAN THƯỜNG VỤ", "K/T ..."), title, room for signature and seal, name.
    lines: list[tuple[str, TextStyle]] = []
    if doc.signing_authority.strip():
        lines.append((nfc(doc.signing_authority.strip()), layout.style("signing_authority")))
    if doc.signer_title.strip():
        lines.append((nfc(doc.signer_title.strip()), layout.style("signer_title")))
    space = layout.style("signature_space")
    lines.extend(("", space) for _ in range(space.blank_lines))
    if doc.signer_name.strip():
        lines.append((nfc(doc.signer_name.strip()), layout.style("signer_name")))
    for text, style in lines:
        _write(_cell_paragraph(right), text, style)
