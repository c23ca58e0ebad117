"""OCR of scanned attachments: a scan registered as an incoming document becomes searchable by
itself (the queue, the worker, the searchable PDF/A), on SQLite and PostgreSQL.

The tests that run Tesseract are skipped where it is not installed, unless VANPHONG_REQUIRE_OCR is
set (.ci/run sets it and installs tesseract-ocr tesseract-ocr-vie ghostscript).
"""

from __future__ import annotations

import datetime
import importlib
import io
import shutil
import threading

import pikepdf
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from vanphong.core.models import AuditEvent
from vanphong.documents import attachments as documents_attachments
from vanphong.documents import ocr
from vanphong.documents.models import Attachment, TextSource
from vanphong.documents.tests.conftest import build_office, pdf_bytes
from vanphong.search import tasks
from vanphong.search.services import search
from vanphong.search.tests.scans import (
    RESOLUTION,
    character_accuracy,
    render_page,
    scanned_pdf,
)


@pytest.fixture(autouse=True)
def fresh_detection():
    """Tests fake the programs; what was detected must not outlive them."""
    ocr._cache.clear()
    yield
    ocr._cache.clear()


@pytest.fixture(scope="module")
def resolution_page():
    return render_page(RESOLUTION)


@pytest.fixture
def scan(resolution_page):
    image, _text = resolution_page
    return scanned_pdf(image)


def english(client):
    client.cookies["vanphong_language"] = "en"
    return client


def only_attachment(doc) -> Attachment:
    return doc.attachments.get()


@pytest.fixture
def without_tesseract(monkeypatch):
    real_which = shutil.which

    def which(name, *args, **kwargs):
        return None if name == "tesseract" else real_which(name, *args, **kwargs)

    monkeypatch.setattr(shutil, "which", which)


@pytest.fixture
def ocr_ready(monkeypatch):
    """The queue and the page as if OCR were installed, without running Tesseract."""
    monkeypatch.setattr(ocr, "ocr_status", lambda: (True, ""))


# --- With Tesseract ------------------------------------------------------------------------------


@pytest.mark.ocr
def test_a_registered_scan_becomes_searchable(office, scan, client_for):
    # A summary without the words searched, so that the hit is in the scan.
    doc = office.register(summary="V/v gửi văn bản của Tỉnh ủy", files=[("scan.pdf", scan)])
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR_PENDING
    actor = office.actor(office.clerk)
    assert search(actor, "chuyen doi so").total == 0
    page = english(client_for(office.clerk)).get(reverse("documents:incoming", args=[doc.pk]))
    assert "waiting for OCR" in page.content.decode()

    assert tasks.process_pending_ocr() == 1

    attachment.refresh_from_db()
    assert attachment.text_source == TextSource.OCR, attachment.ocr_error
    assert "chuyển đổi số" in attachment.text
    assert attachment.ocr_error == "" and attachment.ocr_started_at is None
    # The original is kept as it was; the searchable PDF/A is a second file.
    assert documents_attachments.read_attachment_bytes(attachment) == scan
    assert attachment.ocr_path and attachment.ocr_path != attachment.path
    pdf_a = documents_attachments.read_attachment_ocr_bytes(attachment)
    reader = PdfReader(io.BytesIO(pdf_a))
    assert len(reader.pages) == 1
    assert "chuyển đổi số" in reader.pages[0].extract_text()
    with pikepdf.open(io.BytesIO(pdf_a)) as pdf:
        assert pdf.open_metadata().pdfa_status.startswith("2")

    results = search(actor, "chuyen doi so")
    assert results.total == 1
    assert results.results[0].object_id == doc.pk
    assert results.results[0].place == "scan.pdf"
    assert results.results[0].place_url == reverse("documents:attachment", args=[attachment.pk])

    event = AuditEvent.objects.get(action="attachment.ocr")
    assert event.actor is None and event.object_id == str(attachment.pk)
    after = event.after or {}
    assert after["result"] == TextSource.OCR and after["pages"] == 1

    client = english(client_for(office.clerk))
    page = client.get(reverse("documents:incoming", args=[doc.pk])).content.decode()
    assert "text searchable" in page
    assert reverse("documents:attachment_ocr", args=[attachment.pk]) in page
    download = client.get(reverse("documents:attachment_ocr", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == pdf_a
    # Nothing left to do.
    assert tasks.process_pending_ocr() == 0


@pytest.mark.ocr
def test_character_accuracy_on_clean_300_dpi_text(resolution_page):
    image, expected = resolution_page
    result = ocr.ocr_file("pdf", scanned_pdf(image))
    accuracy = character_accuracy(expected, result.text)
    assert accuracy >= 0.98, (accuracy, result.text)


@pytest.mark.ocr
def test_a_secret_scan_gets_an_encrypted_pdf_a(office, scan):
    doc = office.register(user=office.chief, secrecy=1, files=[("mat.pdf", scan)])
    attachment = only_attachment(doc)
    assert attachment.encrypted and attachment.text_source == TextSource.OCR_PENDING

    assert tasks.process_pending_ocr() == 1

    attachment.refresh_from_db()
    assert attachment.text_source == TextSource.OCR
    assert attachment.ocr_encrypted and attachment.ocr_wrapped_key and attachment.ocr_nonce
    with default_storage.open(attachment.ocr_path, "rb") as handle:
        at_rest = handle.read()
    assert b"%PDF" not in at_rest[:1024]
    assert documents_attachments.read_attachment_ocr_bytes(attachment).startswith(b"%PDF")
    assert documents_attachments.read_attachment_bytes(attachment) == scan
    # Found by those cleared for it, not by others.
    assert search(office.actor(office.chief), "chuyen doi so").total == 1
    assert search(office.actor(office.specialist), "chuyen doi so").total == 0


@pytest.mark.ocr
def test_a_photographed_page_png_with_alpha_is_read(office):
    image, _text = render_page("Về đẩy mạnh chuyển đổi số trong các cơ quan Đảng")
    photo = image.crop((0, 0, image.width, image.height // 4)).convert("RGBA")
    buffer = io.BytesIO()
    photo.save(buffer, "PNG")  # no resolution recorded, as from a phone
    doc = office.register(summary="V/v gửi ảnh chụp văn bản", files=[("anh.png", buffer.getvalue())])
    assert tasks.process_pending_ocr() == 1
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR, attachment.ocr_error
    assert "chuyển đổi số" in attachment.text
    assert search(office.actor(office.clerk), "chuyen doi so").results[0].place == "anh.png"


# --- Without Tesseract ---------------------------------------------------------------------------


def test_without_tesseract_the_page_says_why_and_files_wait(office, client_for, without_tesseract):
    available, reason = ocr.ocr_status()
    assert not available and "tesseract-ocr" in reason
    doc = office.register(files=[("scan.pdf", pdf_bytes())])
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR_PENDING

    assert tasks.process_pending_ocr() == 0
    call_command("worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())

    attachment.refresh_from_db()
    assert attachment.text_source == TextSource.OCR_PENDING
    assert attachment.ocr_attempts == 0 and attachment.ocr_started_at is None
    with pytest.raises(ocr.OcrUnavailable):
        ocr.ocr_file("pdf", pdf_bytes())
    page = english(client_for(office.clerk)).get(reverse("documents:incoming", args=[doc.pk]))
    content = page.content.decode()
    assert "OCR unavailable:" in content and "tesseract-ocr" in content


def test_the_vietnamese_model_missing_is_its_own_reason(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: f"/usr/bin/{name}")
    monkeypatch.setattr(ocr, "_run", lambda command: "List of available languages (2):\neng\nosd\n")
    available, reason = ocr.ocr_status()
    assert not available and "tesseract-ocr-vie" in reason


def test_ghostscript_missing_is_its_own_reason(monkeypatch):
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name.startswith("gs") else f"/usr/bin/{name}"
    )
    monkeypatch.setattr(ocr, "_run", lambda command: "vie\neng\n")
    available, reason = ocr.ocr_status()
    assert not available and "ghostscript" in reason


def test_a_failure_is_kept_and_shown(office, client_for, ocr_ready, monkeypatch):
    def fail(kind, data, **kwargs):
        raise ocr.OcrError("the file is damaged")

    monkeypatch.setattr(ocr, "ocr_file", fail)
    doc = office.register(files=[("scan.pdf", pdf_bytes())])
    assert tasks.process_pending_ocr() == 1
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR_FAILED
    assert attachment.ocr_error == "the file is damaged" and not attachment.ocr_path
    event = AuditEvent.objects.get(action="attachment.ocr")
    assert (event.after or {})["error"] == "the file is damaged"
    page = english(client_for(office.clerk)).get(reverse("documents:incoming", args=[doc.pk]))
    assert "OCR failed: the file is damaged" in page.content.decode()
    # Failed files leave the queue.
    assert tasks.process_pending_ocr() == 0


def test_a_stopped_run_gives_the_file_back(office, ocr_ready, monkeypatch):
    def stopped(kind, data, **kwargs):
        raise ocr.OcrStopped()

    monkeypatch.setattr(ocr, "ocr_file", stopped)
    doc = office.register(files=[("scan.pdf", pdf_bytes())])
    assert tasks.process_pending_ocr() == 0
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR_PENDING
    assert attachment.ocr_attempts == 0 and attachment.ocr_started_at is None


def test_a_claim_is_not_taken_twice_until_it_is_stale(office, ocr_ready, monkeypatch):
    doc = office.register(files=[("scan.pdf", pdf_bytes())])
    claimed = tasks._claim()
    assert claimed is not None and claimed.ocr_attempts == 1
    assert tasks._claim() is None  # another worker finds nothing to take
    # The worker died: after the lease the file is taken again, and set aside after a few tries.
    stale = timezone.now() - tasks._lease() - datetime.timedelta(minutes=1)
    Attachment.objects.filter(pk=claimed.pk).update(ocr_started_at=stale, ocr_attempts=tasks.MAX_ATTEMPTS)
    monkeypatch.setattr(ocr, "ocr_file", lambda *a, **k: pytest.fail("a file set aside is not read"))
    assert tasks.process_pending_ocr() == 1
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR_FAILED and str(tasks.MAX_ATTEMPTS) in attachment.ocr_error


def test_worker_once_and_search_check_report_the_queue(office, ocr_ready, monkeypatch):
    searchable = pdf_bytes()
    monkeypatch.setattr(ocr, "ocr_file", lambda kind, data, **k: ocr.OcrResult(searchable, ["chuyển đổi số"]))
    doc = office.register(files=[("scan.pdf", pdf_bytes())])
    out = io.StringIO()
    call_command("search", "check", stdout=out, stderr=io.StringIO())
    assert "Waiting for OCR: 1 file; the oldest for 0 h 0 min" in out.getvalue()

    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "1" in out.getvalue()
    attachment = only_attachment(doc)
    assert attachment.text_source == TextSource.OCR
    assert documents_attachments.read_attachment_ocr_bytes(attachment) == searchable
    out = io.StringIO()
    # The worker indexes in the server's language (segment labels are translated); check in it too.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("search", "check", stdout=out, stderr=io.StringIO())
    assert "Waiting for OCR: none" in out.getvalue()
    assert "The search index matches the data." in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_running_at_once_never_take_the_same_file(org_a, ocr_ready):
    # The shipped types come from a data migration; an earlier transactional test flushed them.
    importlib.import_module("vanphong.documents.migrations.0002_document_types").load(django_apps, None)
    office = build_office(org_a)
    for number in range(8):
        office.register(sender_reference=f"{number + 1}-CV/VPTW", files=[("scan.pdf", pdf_bytes())])
    barrier = threading.Barrier(4)
    claimed: list[list[int]] = [[] for _ in range(4)]

    def worker(mine: list[int]) -> None:
        try:
            barrier.wait()
            while (attachment := tasks._claim()) is not None:
                mine.append(attachment.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [pk for mine in claimed for pk in mine]
    assert sorted(taken) == sorted(Attachment.objects.values_list("pk", flat=True))
    assert len(set(taken)) == len(taken) == 8
