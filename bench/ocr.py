"""OCR of scans: throughput through the queue, and character accuracy on clean 300-dpi text.

BENCH_PAGES (default 10) A4 pages of Vietnamese administrative text (a resolution and a report,
alternately) are rendered with Liberation Serif 13 pt at 300 dpi and saved as one scanned PDF (no
text layer). It is registered as an incoming document and read by `process_pending_ocr` (OCRmyPDF
with Tesseract's `vie+eng` models, one core, PDF/A output, stored and indexed): pages per minute.
Character accuracy: 1 − character edits / characters of the text, NFC, whitespace normalised, per
page (mean and worst). Peer: Tesseract alone on the same page images (`tesseract page.png -
-l vie+eng`, one thread), i.e. what the PDF/A pipeline, storage and indexing cost on top of OCR.
SQLite only: the database's share is negligible next to OCR.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = int(os.environ.get("BENCH_PAGES", "10"))


def main() -> None:
    sys.path.insert(0, os.path.dirname(__file__))
    from _setup import django_setup, report

    django_setup(None)
    from vanphong.documents import ocr
    from vanphong.documents.models import Attachment, TextSource
    from vanphong.documents.tests.conftest import build_office
    from vanphong.search import tasks
    from vanphong.search.tests.scans import REPORT, RESOLUTION, character_accuracy, render_page, scanned_pdf
    from vanphong.testing import make_organisation

    available, reason = ocr.ocr_status()
    if not available:
        sys.exit(f"OCR is unavailable: {reason}")

    pages, texts = [], []
    for number in range(1, PAGES + 1):
        body = RESOLUTION if number % 2 else REPORT
        image, text = render_page(f"Trang {number}\n{body}")
        pages.append(image)
        texts.append(text)
    scan = scanned_pdf(*pages)

    office = build_office(make_organisation("bench", "TU", name="Tỉnh ủy Bench"))
    doc = office.register(files=[("scan.pdf", scan)])
    start = time.perf_counter()
    handled = tasks.process_pending_ocr()
    elapsed = time.perf_counter() - start
    attachment = Attachment.objects.get(incoming=doc)
    assert handled == 1 and attachment.text_source == TextSource.OCR, attachment.ocr_error
    ocr_pages = attachment.text.split("\f")
    assert len(ocr_pages) == PAGES
    accuracies = [character_accuracy(text, page) for text, page in zip(texts, ocr_pages, strict=True)]

    # Peer: Tesseract alone on the same images.
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, image in enumerate(pages):
            path = Path(folder) / f"page-{number}.png"
            image.save(path, dpi=(300, 300))
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            subprocess.run(
                ["tesseract", str(path), "-", "-l", "vie+eng"],
                check=True,
                capture_output=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
        peer = time.perf_counter() - start

    report(
        "ocr",
        {
            "pages": PAGES,
            "scan_mb": round(len(scan) / 1_048_576, 2),
            "pdfa_mb": round((attachment.ocr_size or 0) / 1_048_576, 2),
            "pages_per_min": round(PAGES / elapsed * 60, 1),
            "seconds_per_page": round(elapsed / PAGES, 2),
            "tesseract_only_pages_per_min": round(PAGES / peer * 60, 1),
            "pipeline_to_tesseract_time_ratio": round(elapsed / peer, 2),
            "char_accuracy_mean": round(statistics.mean(accuracies), 4),
            "char_accuracy_min": round(min(accuracies), 4),
            "mode": "skip-text" if ocr._tools().skip_text else "force-ocr",
        },
    )


if __name__ == "__main__":
    main()
