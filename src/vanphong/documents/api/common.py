"""What the documents' API endpoints share: the router, the output of attachments, the register
filters, and the lookups of what a request names (an unknown value is a 422 on its field)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from vanphong.accounts.models import User
from vanphong.core.access import Actor, visible
from vanphong.core.models import Clearance
from vanphong.core.paging import Paging
from vanphong.documents import selectors
from vanphong.documents.models import (
    Attachment,
    DocumentType,
)
from vanphong.org.models import Unit

router = Router(tags=["documents"])


# The endpoints return rows; Ninja reads the output from them through these schemas, with the request
# in the context (their resolvers).


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    pages: int | None
    sha256: str
    download_url: str

    @staticmethod
    def resolve_name(attachment: Attachment) -> str:
        return attachment.original_name

    @staticmethod
    def resolve_download_url(attachment: Attachment, context: dict[str, Any]) -> str:
        url = reverse("api:attachment_download", kwargs={"pk": attachment.pk})
        return str(context["request"].build_absolute_uri(url))


def username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


class RegisterFilters(Paging):
    year: int | None = Field(None, ge=1945, le=2100)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    doc_type: str = Field("", description="Document type symbol, e.g. NQ")
    secrecy: int | None = None
    status: str = ""
    q: str = Field("", description="Words of the summary (without diacritics is fine)")


def doc_type_of(symbol: str, field: str = "doc_type") -> DocumentType:
    doc_type = DocumentType.objects.filter(symbol=symbol.strip()).first()
    if doc_type is None:
        raise ValidationError({field: _("Unknown document type “%(symbol)s”.") % {"symbol": symbol}})
    return doc_type


def units_of(actor: Actor, ids: Iterable[int | None], field: str) -> list[Unit]:
    wanted = {pk for pk in ids if pk is not None}
    found = list(visible(actor, Unit).filter(is_active=True, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: _("The selected item does not exist.")})
    return found


def users_of(actor: Actor, usernames: Iterable[str | None], field: str) -> list[User]:
    wanted = {name for name in usernames if name}
    found = list(
        User.objects.filter(
            username__in=wanted, memberships__organisation=actor.organisation, memberships__is_active=True
        )
    )
    missing = wanted - {user.username for user in found}
    if missing:
        raise ValidationError(
            {
                field: _("No member of this organisation has the username %(names)s.")
                % {"names": ", ".join(sorted(missing))}
            }
        )
    return found


def aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # a time without a zone is the office's local time
    return value


def criteria_of(filters: RegisterFilters, statuses: Sequence[str], **extra: Any) -> selectors.RegisterFilter:
    errors: dict[str, str] = {}
    doc_type = None
    if filters.doc_type:
        try:
            doc_type = doc_type_of(filters.doc_type)
        except ValidationError as error:
            errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if filters.secrecy is not None and filters.secrecy not in Clearance.values:
        errors["secrecy"] = _("Unknown secrecy level.")
    if filters.status and filters.status not in statuses:
        errors["status"] = _("Unknown status.")
    if errors:
        raise ValidationError(errors)
    return selectors.RegisterFilter(
        year=filters.year,
        date_from=filters.date_from,
        date_to=filters.date_to,
        doc_type=doc_type,
        secrecy=filters.secrecy,
        status=filters.status,
        text=filters.q,
        **extra,
    )


def file_errors(error: ValidationError) -> ValidationError:
    """An upload's problem belongs to the `files` field."""
    return error if hasattr(error, "error_dict") else ValidationError({"files": error.messages})


def read_files(files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    return [(file.name or "file", file.read()) for file in files]
