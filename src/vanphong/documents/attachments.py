"""Files of documents: checked by content, their text extracted for search, stored (encrypted for a
secret document) for the transaction that records them, read and opened (openings of secret files
are audited).

Files are validated before the transaction and stored just before it; if the transaction fails, the
stored files are removed again, so nothing is left half-written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.extract import Extracted, extract
from vanphong.core.files import (
    StoredFile,
    UploadInfo,
    read_file,
    stored_for_transaction,
    validate_upload,
)
from vanphong.core.models import Clearance, Organisation
from vanphong.documents import events
from vanphong.documents.models import (
    Attachment,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    TextSource,
)
from vanphong.documents.permissions import DRAFT, REGISTER

UploadedFile = tuple[str, bytes]  # (original name, content)


@dataclass(frozen=True)
class Upload:
    """A checked file, with its text for search (the text layer; scans wait for OCR)."""

    info: UploadInfo
    data: bytes
    extracted: Extracted


def validate_files(files: Iterable[UploadedFile]) -> list[Upload]:
    checked = []
    for name, data in files:
        info = validate_upload(name, data)
        checked.append(Upload(info, data, extract(info.kind, data)))
    return checked


@contextmanager
def storing(files: Sequence[Upload], encrypt: bool) -> Iterator[list[tuple[Upload, StoredFile]]]:
    """Store files for the transaction that follows; remove them again if it fails."""
    with stored_for_transaction([upload.data for upload in files], encrypt=encrypt) as stored:
        yield list(zip(files, stored, strict=True))


def attach(
    actor: Actor,
    organisation: Organisation,
    stored: list[tuple[Upload, StoredFile]],
    **owner: Any,
) -> list[Attachment]:
    return [
        Attachment.objects.create(
            text=upload.extracted.text,
            text_source=TextSource.OCR_PENDING
            if upload.extracted.needs_ocr
            else (TextSource.FILE if upload.extracted.text.strip() else TextSource.NONE),
            organisation=organisation,
            original_name=upload.info.original_name,
            kind=upload.info.kind,
            content_type=upload.info.content_type,
            size=file.size,
            pages=upload.info.pages,
            path=file.path,
            sha256=file.sha256,
            encrypted=file.encrypted,
            wrapped_key=file.wrapped_key,
            nonce=file.nonce,
            uploaded_by=actor.user,
            **owner,
        )
        for upload, file in stored
    ]


def read_attachment_bytes(attachment: Attachment) -> bytes:
    return attachment.read()


def _record_opening(actor: Actor, attachment: Attachment, **opened: Any) -> None:
    """Openings of secret files are recorded in the audit log."""
    document = attachment.incoming or attachment.outgoing
    assert document is not None
    if document.secrecy > Clearance.NONE:
        audit.record(
            actor,
            events.ATTACHMENT_OPENED,
            organisation=attachment.organisation,
            obj=attachment,
            after={"document": str(document.pk), **opened},
        )


def open_attachment(actor: Actor, attachment: Attachment) -> bytes:
    """Read a file the actor may see (the caller fetched it with access_object)."""
    data = read_attachment_bytes(attachment)
    _record_opening(actor, attachment, sha256=attachment.sha256)
    return data


def read_attachment_ocr_bytes(attachment: Attachment) -> bytes:
    """The searchable PDF/A made by OCR (documents.ocr) from a scan; the attachment must have one."""
    if not attachment.ocr_path:
        raise FileNotFoundError(attachment.ocr_path)
    return read_file(
        StoredFile(
            path=attachment.ocr_path,
            sha256=attachment.ocr_sha256,
            size=attachment.ocr_size or 0,
            encrypted=attachment.ocr_encrypted,
            wrapped_key=attachment.ocr_wrapped_key,
            nonce=attachment.ocr_nonce,
        )
    )


def open_attachment_ocr(actor: Actor, attachment: Attachment) -> bytes:
    """Like open_attachment, for the searchable PDF/A of a scan."""
    data = read_attachment_ocr_bytes(attachment)
    _record_opening(actor, attachment, sha256=attachment.ocr_sha256, ocr=True)
    return data


def add_attachments(
    actor: Actor,
    files: Iterable[UploadedFile],
    *,
    incoming: IncomingDocument | None = None,
    outgoing: OutgoingDocument | None = None,
) -> list[Attachment]:
    document = incoming or outgoing
    assert document is not None
    if incoming is not None:
        require(actor, REGISTER)
    elif outgoing is not None and outgoing.status != OutgoingStatus.DRAFT:
        raise ValidationError(_("Files can be added to drafts only."))
    else:
        require(actor, DRAFT)
    checked = validate_files(files)
    if not checked:
        raise ValidationError({"files": _("Choose a file.")})
    with storing(checked, encrypt=document.secrecy > Clearance.NONE) as stored, transaction.atomic():
        attachments = attach(actor, document.organisation, stored, incoming=incoming, outgoing=outgoing)
        audit.record(
            actor,
            events.ATTACHMENT_ADDED,
            organisation=document.organisation,
            obj=document,
            after={"files": [a.original_name for a in attachments]},
        )
    return attachments
