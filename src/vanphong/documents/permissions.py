"""Who may do what with documents, and which documents each user may see.

Visibility (docs/architecture.md, access): a document of the actor's organisation is visible when the
actor's clearance reaches its secrecy and, for a secret document, when the actor has a need to know:
a role that covers the registers (clerk, office chief, standing leader, archivist), or a part in it
(registered or drafted it, signs or approved it, or is named on its routing note, in person or
through their unit). The filter is part of the query, so lists, registers, exports and counts agree.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, Policy, SharedPolicy, declare_permissions, register_policy
from vanphong.core.models import Clearance
from vanphong.documents.models import (
    Assignment,
    Attachment,
    DocumentType,
    HandlingNote,
    IncomingDocument,
    OutgoingDocument,
    Routing,
)
from vanphong.org.selectors import user_units

REGISTER = "documents.register"
ROUTE = "documents.route"
DRAFT = "documents.draft"
ISSUE = "documents.issue"
READ_ALL = "documents.read_all"
IMPORT = "documents.import"
NUMBERING = "documents.numbering"

OFFICE = {"clerk", "office_chief"}
declare_permissions(
    (REGISTER, _("Register incoming documents"), OFFICE),
    (ROUTE, _("Route incoming documents for handling"), {"office_chief", "standing_leader"}),
    (
        DRAFT,
        _("Draft outgoing documents"),
        # reception_officer: the transfer and guidance letters of petitions (petitions.services.transfer).
        {"clerk", "office_chief", "specialist", "committee_member", "standing_leader", "reception_officer"},
    ),
    (ISSUE, _("Number and issue outgoing documents, cancel numbers"), OFFICE),
    (READ_ALL, _("Read every document within one's clearance"), {*OFFICE, "standing_leader", "archivist"}),
    (IMPORT, _("Import registers from spreadsheets"), {*OFFICE, "administrator"}),
    (NUMBERING, _("Plan a change of the numbering rule"), {"office_chief", "administrator"}),
)


def _base(actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any] | None:
    if not actor.is_member:
        return None
    return queryset.filter(organisation=actor.organisation, secrecy__lte=actor.clearance)


class IncomingPolicy(Policy):
    change_permission = REGISTER

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        scoped = _base(actor, queryset)
        if scoped is None:
            return queryset.none()
        if actor.system or actor.has_perm(READ_ALL):
            return scoped
        named = Assignment.objects.filter(routing__document=OuterRef("pk")).filter(
            Q(user=actor.user) | Q(unit__in=user_units(actor))
        )
        return scoped.filter(Q(secrecy=Clearance.NONE) | Q(registered_by=actor.user) | Exists(named))


class OutgoingPolicy(Policy):
    change_permission = DRAFT

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        scoped = _base(actor, queryset)
        if scoped is None:
            return queryset.none()
        if actor.system or actor.has_perm(READ_ALL):
            return scoped
        return scoped.filter(
            Q(secrecy=Clearance.NONE)
            | Q(created_by=actor.user)
            | Q(signer__user=actor.user)
            | Q(approved_by=actor.user)
        )

    def can_change(self, actor: Actor, obj: Any) -> bool:
        # Drafts are changed by whoever drafted them, and by the office.
        return super().can_change(actor, obj) and (
            obj.created_by_id == getattr(actor.user, "pk", None) or actor.has_perm(ISSUE) or actor.system
        )


class AttachmentPolicy(Policy):
    """An attachment is visible exactly when its document is."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        incoming = IncomingPolicy().visible(actor, IncomingDocument.objects.all()).values("pk")
        outgoing = OutgoingPolicy().visible(actor, OutgoingDocument.objects.all()).values("pk")
        return queryset.filter(Q(incoming__in=incoming) | Q(outgoing__in=outgoing))


class ByDocumentPolicy(Policy):
    """Routing notes, their assignments and handling notes are visible exactly when their document is."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        documents = IncomingPolicy().visible(actor, IncomingDocument.objects.all()).values("pk")
        field = "routing__document__in" if queryset.model is Assignment else "document__in"
        return queryset.filter(**{field: documents})


register_policy(IncomingDocument, IncomingPolicy())
for model in (Routing, Assignment, HandlingNote):
    register_policy(model, ByDocumentPolicy())
register_policy(OutgoingDocument, OutgoingPolicy())
register_policy(Attachment, AttachmentPolicy())
register_policy(DocumentType, SharedPolicy())
