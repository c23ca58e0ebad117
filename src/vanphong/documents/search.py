"""What the search index holds of documents, and which documents a user's tokens reach.

The tokens mirror documents.permissions: clearance up to the user's level; for secret documents,
a covering role or a part in the document (registered, drafted, signs, approved, routed to the
user or their unit). search/tests compares search results with `visible()` for every user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateField
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from vanphong.core.access import Actor
from vanphong.core.extract import PAGE_BREAK
from vanphong.core.models import Clearance
from vanphong.core.searchable import (
    Access,
    IndexData,
    Kind,
    Segment,
    register,
    secrecy_token,
    unit_token,
    user_token,
    within_clearance,
)
from vanphong.core.text import fold
from vanphong.documents.models import (
    Assignment,
    Attachment,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    Routing,
)
from vanphong.documents.permissions import READ_ALL
from vanphong.org.selectors import user_units


def readers_access(actor: Actor) -> Access:
    """Within the clearance; a secret document also needs a covering role or a part in it. Written as
    exclusions (NOT the levels above the clearance, NOT a secret one without the reader's tokens):
    they are short lists in the index, where listing what one may see would walk long ones."""
    within = within_clearance(actor.clearance)
    if actor.system or actor.has_perm(READ_ALL) or actor.clearance == Clearance.NONE:
        return within
    readers: list[Access] = [user_token(actor.user.pk)]
    readers += [unit_token(row["unit"]) for row in user_units(actor)]
    secret: list[Access] = [secrecy_token(level) for level in range(Clearance.MAT, actor.clearance + 1)]
    return ("and", [within, ("not", [("and", [("or", secret), ("not", [("or", readers)])])])])


def page_segments(name: str, text: str, url: str) -> list[Segment]:
    """One segment per page of an attachment's text, linking to that page of the file."""
    pages = text.split(PAGE_BREAK) if text else []
    if len(pages) <= 1:
        return [Segment("", pages[0], url, file=name)] if pages and pages[0].strip() else []
    return [
        Segment("", page, f"{url}#page={number}", file=name, page=number)
        for number, page in enumerate(pages, start=1)
        if page.strip()
    ]


def _attachment_segments(doc: Any) -> list[Segment]:
    segments = []
    for attachment in doc.attachments.all():
        url = reverse("documents:attachment", args=[attachment.pk])
        segments.extend(page_segments(attachment.original_name, attachment.text, url))
    return segments


def build_incoming(doc: IncomingDocument) -> IndexData:
    url = reverse("documents:incoming", args=[doc.pk])
    readers = {user_token(doc.registered_by_id)} if doc.registered_by_id else set()
    for assignment in Assignment.objects.filter(routing__document=doc):
        if assignment.user_id:
            readers.add(user_token(assignment.user_id))
        if assignment.unit_id:
            readers.add(unit_token(assignment.unit_id))
    reference = f"{doc.sender_reference} · " if doc.sender_reference else ""
    return IndexData(
        organisation_id=doc.organisation_id,
        secrecy=doc.secrecy,
        title=f"{doc.arrival_number}/{doc.arrival_year} · {doc.sender_name} · {reference}"
        f"{doc.type_and_summary}",
        segments=[Segment(gettext_noop("Summary"), doc.summary, url), *_attachment_segments(doc)],
        url=url,
        access=[secrecy_token(doc.secrecy), *readers],
        doc_type=fold(doc.doc_type.symbol),
        date=doc.document_date,
        status=doc.status,
        sender=doc.sender_name,
    )


def build_outgoing(doc: OutgoingDocument) -> IndexData:
    url = reverse("documents:outgoing", args=[doc.pk])
    readers = {
        user_token(user_id)
        for user_id in (doc.created_by_id, doc.approved_by_id, doc.signer.user_id if doc.signer else None)
        if user_id
    }
    reference = f"{doc.reference} · " if doc.reference else ""
    return IndexData(
        organisation_id=doc.organisation_id,
        secrecy=doc.secrecy,
        title=f"{reference}{doc.type_and_summary}",
        segments=[
            Segment(gettext_noop("Summary"), doc.summary, url),
            *([Segment(gettext_noop("Text"), doc.body, url)] if doc.body else []),
            *_attachment_segments(doc),
        ],
        url=url,
        access=[secrecy_token(doc.secrecy), *readers],
        doc_type=fold(doc.doc_type.symbol),
        date=doc.issued_on or doc.created_at.date(),
        status=doc.status,
        sender=doc.organisation.name,
    )


def type_labels() -> dict[str, tuple[str, str]]:
    return {fold(t.symbol): (t.symbol, t.name) for t in DocumentType.objects.all()}


register(
    Kind(
        name="incoming",
        label=gettext_lazy("Incoming document"),
        model=IncomingDocument,
        build=build_incoming,
        access=readers_access,
        parents={
            Attachment: lambda a: a.incoming if a.incoming_id and a.outgoing_id is None else None,
            Routing: lambda r: r.document,
            Assignment: lambda a: a.routing.document,
        },
        queryset=lambda: IncomingDocument.objects.select_related("doc_type").order_by("document_date", "pk"),
        type_labels=type_labels,
    )
)
register(
    Kind(
        name="outgoing",
        label=gettext_lazy("Outgoing document"),
        model=OutgoingDocument,
        build=build_outgoing,
        access=readers_access,
        parents={Attachment: lambda a: a.outgoing if a.outgoing_id else None},
        # build_outgoing's date: issued, or else created.
        queryset=lambda: OutgoingDocument.objects.select_related(
            "doc_type", "organisation", "signer"
        ).order_by(Coalesce("issued_on", Cast("created_at", DateField())), "pk"),
        type_labels=type_labels,
    )
)
