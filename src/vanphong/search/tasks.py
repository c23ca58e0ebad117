"""Background work without a broker: the OCR queue is the attachments whose text waits for OCR.

An upload that is a scan or an image is saved with `text_source = OCR_PENDING`
(documents.attachments.attach). A worker (`vanphong worker`, or the thread `vanphong serve` starts)
takes such files one at a time, oldest first:

1. Claim: in a short transaction, the oldest pending file not claimed by another worker gets
   `ocr_started_at` and one more `ocr_attempts`. On PostgreSQL the row is picked with
   `SELECT ... FOR UPDATE SKIP LOCKED`, so workers never take the same file; on SQLite the
   transaction takes the write lock at BEGIN (IMMEDIATE), so claims are made one at a time. OCR
   then runs outside any transaction (it may take minutes): nothing stays locked meanwhile.
2. OCR (documents.ocr) of the original read through documents.attachments.read_attachment_bytes
   (decrypted when secret). The original is never changed.
3. Save: the searchable PDF/A is stored as a new file (encrypted when the original is or the
   document is secret), and the attachment gets its text, `text_source = OCR` and the PDF/A's
   path, hash and keys; or `OCR_FAILED` and the reason in `ocr_error`. Saving the attachment
   re-indexes its document (search.indexing signals), so the text becomes searchable in the same
   transaction. An audit event `attachment.ocr` (actor: the system) records the outcome.

When this server cannot run OCR (Tesseract or its Vietnamese model missing), files stay pending
and are read once it can. A claim older than the OCR timeout belongs to a worker that died and is
taken again; a file whose OCR was interrupted MAX_ATTEMPTS times is set aside as failed.

The PDF/A's storage fields are on Attachment (`ocr_path`, `ocr_sha256`, ...) rather than on a
separate model: one derived file per attachment, read with the attachment's own access check.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor
from vanphong.core.files import FileIntegrityError, StoredFile, delete_file, store_file
from vanphong.core.models import Clearance
from vanphong.documents import ocr
from vanphong.documents.attachments import read_attachment_bytes
from vanphong.documents.models import Attachment, TextSource
from vanphong.search import events

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
IDLE_SECONDS = 5.0
_unavailable_logged: set[str] = set()


def _lease() -> datetime.timedelta:
    """How long a claim holds: the OCR timeout and a margin for storing the result."""
    return datetime.timedelta(seconds=settings.OCR_TIMEOUT + 300)


def pending() -> QuerySet[Attachment]:
    return Attachment.objects.filter(text_source=TextSource.OCR_PENDING)


def _claim() -> Attachment | None:
    now = timezone.now()
    with transaction.atomic():
        queue = (
            pending()
            .filter(Q(ocr_started_at__isnull=True) | Q(ocr_started_at__lt=now - _lease()))
            .order_by("created_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            queue = queue.select_for_update(skip_locked=True)
        attachment = queue.first()
        if attachment is None:
            return None
        # update(): a claim is bookkeeping, not a change of the document (no re-indexing).
        Attachment.objects.filter(pk=attachment.pk).update(
            ocr_started_at=now, ocr_attempts=F("ocr_attempts") + 1
        )
    attachment.ocr_started_at = now
    attachment.ocr_attempts += 1
    return attachment


def _release(attachment: Attachment) -> None:
    """Give a claimed file back to the queue, as if it had not been taken."""
    Attachment.objects.filter(pk=attachment.pk, text_source=TextSource.OCR_PENDING).update(
        ocr_started_at=None, ocr_attempts=F("ocr_attempts") - 1
    )


def _finish(attachment: Attachment, result: ocr.OcrResult | None = None, error: str = "") -> None:
    stored: StoredFile | None = None
    if result is not None:
        document = attachment.incoming or attachment.outgoing
        secret = document is not None and document.secrecy > Clearance.NONE
        stored = store_file(result.pdf_a, encrypt=attachment.encrypted or secret)
    try:
        with transaction.atomic():
            row = (
                Attachment.objects.select_for_update()
                .filter(pk=attachment.pk, text_source=TextSource.OCR_PENDING)
                .first()
            )
            if row is None:  # deleted meanwhile, or done by a worker that took over a stale claim
                if stored is not None:
                    delete_file(stored.path)
                return
            replaced = row.ocr_path
            row.ocr_started_at = None
            if result is not None and stored is not None:
                row.text = result.text
                row.text_source = TextSource.OCR
                row.ocr_error = ""
                row.ocr_path = stored.path
                row.ocr_sha256 = stored.sha256
                row.ocr_size = stored.size
                row.ocr_encrypted = stored.encrypted
                row.ocr_wrapped_key = stored.wrapped_key
                row.ocr_nonce = stored.nonce
            else:
                row.text_source = TextSource.OCR_FAILED
                row.ocr_error = error
            row.save()  # re-indexes the document (search.indexing)
            audit.record(
                Actor.system_for(None),
                events.ATTACHMENT_OCR,
                organisation=row.organisation,
                obj=row,
                after={
                    "result": row.text_source,
                    "pages": len(result.pages) if result else None,
                    "characters": len(row.text) if result else None,
                    "sha256": row.ocr_sha256 if result else "",
                    "pdfa": result.pdfa if result else None,
                    "error": error,
                },
            )
            if replaced and result is not None:
                transaction.on_commit(lambda: delete_file(replaced))
    except BaseException:
        if stored is not None:
            delete_file(stored.path)
        raise


def _process(attachment: Attachment, stop: threading.Event | None) -> None:
    if attachment.ocr_attempts > MAX_ATTEMPTS:
        _finish(
            attachment,
            error=_("OCR stopped before finishing %(count)s times; the file was set aside.")
            % {"count": MAX_ATTEMPTS},
        )
        return
    try:
        try:
            data = read_attachment_bytes(attachment)
        except (FileIntegrityError, OSError) as exc:
            _finish(attachment, error=_("The stored file cannot be read: %(error)s") % {"error": exc})
            return
        try:
            result = ocr.ocr_file(attachment.kind, data, stop=stop)
        except ocr.OcrError as exc:
            _finish(attachment, error=str(exc))
            return
        _finish(attachment, result)
    except BaseException:  # unavailable, stopped, or unexpected: the file waits for the next run
        _release(attachment)
        raise


def process_pending_ocr(limit: int = 10, stop: threading.Event | None = None) -> int:
    """OCR up to `limit` waiting files, oldest first; the number handled (read or failed).

    Returns 0 without touching the queue when this server cannot run OCR.
    """
    available, reason = ocr.ocr_status()
    if not available:
        if reason not in _unavailable_logged:
            _unavailable_logged.add(reason)
            log.warning("OCR is unavailable, scans wait: %s", reason)
        return 0
    handled = 0
    # Messages kept in ocr_error are in the server's language, like other stored messages.
    with translation.override(settings.LANGUAGE_CODE):
        while handled < limit and not (stop is not None and stop.is_set()):
            attachment = _claim()
            if attachment is None:
                break
            try:
                _process(attachment, stop)
            except ocr.OcrStopped:
                break
            except ocr.OcrUnavailable as exc:
                log.warning("OCR is unavailable, scans wait: %s", exc)
                break
            handled += 1
            log.info("OCR of attachment %s done", attachment.pk)
    return handled


def _tidy_connections(close: bool = False) -> None:
    """Drop broken or expired database connections of this thread (all of them when `close`).
    Inside a caller's transaction (tests) they are left alone."""
    if connection.in_atomic_block:
        return
    if close:
        connections.close_all()
    else:
        close_old_connections()


def run_worker(
    stop: threading.Event, *, interval: float = IDLE_SECONDS, once: bool = False, limit: int = 10
) -> int:
    """Process the queue until `stop` is set (or, with `once`, until nothing is left to do);
    sleep `interval` seconds when idle. Returns the number of files handled."""
    ocr.remove_stale_work_folders(older_than=_lease().total_seconds())
    total = 0
    try:
        while not stop.is_set():
            _tidy_connections()
            try:
                handled = process_pending_ocr(limit, stop=stop)
            except Exception:
                if once:
                    raise
                log.exception("OCR worker: unexpected error; trying again in %s s", interval)
                handled = 0
            total += handled
            if once and handled < limit:
                break
            if handled == 0:
                stop.wait(interval)
    finally:
        _tidy_connections(close=True)
    return total


def start_worker_thread(stop: threading.Event, interval: float = IDLE_SECONDS) -> threading.Thread:
    """Run the worker in a daemon thread of this process (`vanphong serve`)."""
    thread = threading.Thread(
        target=run_worker, args=(stop,), kwargs={"interval": interval}, name="vanphong-worker", daemon=True
    )
    thread.start()
    return thread


def backlog() -> tuple[int, datetime.datetime | None]:
    """How many files wait for OCR, and since when the oldest waits."""
    figures = pending().aggregate(count=Count("id"), oldest=Min("created_at"))
    return figures["count"], figures["oldest"]


def backlog_line() -> str:
    """One line for `vanphong search check`."""
    count, oldest = backlog()
    if not count or oldest is None:
        return "Waiting for OCR: none"
    minutes = int((timezone.now() - oldest).total_seconds() // 60)
    hours, days = minutes // 60, minutes // 1440
    wait = f"{days} d {hours % 24} h" if days else f"{hours} h {minutes % 60} min"
    files = "1 file" if count == 1 else f"{count} files"
    line = (
        f"Waiting for OCR: {files}; the oldest for {wait} (since {timezone.localtime(oldest):%Y-%m-%d %H:%M})"
    )
    available, reason = ocr.ocr_status()
    return line if available else f"{line}; OCR unavailable: {reason}"
