"""Render a Party document (văn bản của Đảng) as DOCX, and convert it to PDF.

Pure functions: no database, no Django. The caller fills a `RenderInput` with the final strings
(number line, place-date line, signer...) and gets bytes back.

Every layout value (page, margins, font, sizes, alignment, marks) is data in
`data/party_format.json`, each entry with a `source` note. They follow HD 36-HD/VPTW (2018) as
summarised in FACTS.md §2 at confidence L, so they are to be checked against the text of the
guide and changed there, not here.

PDF conversion shells out to LibreOffice (`soffice --headless`). With no LibreOffice installed,
`pdf_available()` is False and `render_pdf` raises `RenderingUnavailable`. For a faithful PDF the
machine needs a font metric-compatible with Times New Roman that covers Vietnamese
(Debian: fonts-liberation2, Liberation Serif 2.x; Liberation 1.x lacks Vietnamese glyphs).

The package: `layout` (the input and the layout data), `docx` (the DOCX), `pdf` (the conversion).
"""

from vanphong.documents.rendering.docx import render_docx
from vanphong.documents.rendering.layout import (
    Layout,
    PageLayout,
    RenderingError,
    RenderInput,
    TextStyle,
    load_layout,
)
from vanphong.documents.rendering.pdf import RenderingUnavailable, pdf_available, render_pdf

__all__ = [
    "Layout",
    "PageLayout",
    "RenderInput",
    "RenderingError",
    "RenderingUnavailable",
    "TextStyle",
    "load_layout",
    "pdf_available",
    "render_docx",
    "render_pdf",
]
