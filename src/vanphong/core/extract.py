"""Text of uploaded files, for search: the PDF text layer page by page, the text of a DOCX.

Scanned PDFs (no text layer) and images have no text until OCR has run; `needs_ocr` says so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from vanphong.core.text import clean, detect_legacy_encoding, legacy_to_unicode, nfc

# Below this many characters per page, a PDF is treated as a scan (a page number or a stamp is not text).
MIN_CHARS_PER_PAGE = 40
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class Extracted:
    pages: list[str]
    needs_ocr: bool

    @property
    def text(self) -> str:
        return PAGE_BREAK.join(self.pages)


def _unicode(text: str) -> str:
    """Old documents typed in TCVN3 or VNI fonts carry legacy bytes in their text layer."""
    text = nfc(text)
    encoding = detect_legacy_encoding(text)
    return legacy_to_unicode(text, encoding) if encoding else text


def extract(kind: str, data: bytes) -> Extracted:
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [_unicode(page.extract_text() or "") for page in reader.pages]
        chars = sum(len(clean(page)) for page in pages)
        return Extracted(pages, needs_ocr=chars < MIN_CHARS_PER_PAGE * max(1, len(pages)))
    if kind == "docx":
        from docx import Document

        document = Document(io.BytesIO(data))
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                paragraphs.extend(cell.text for cell in row.cells)
        return Extracted(["\n".join(_unicode(p) for p in paragraphs)], needs_ocr=False)
    # Images: only OCR can read them.
    return Extracted([], needs_ocr=True)
