"""Citizen reception: the sessions on which a leader received citizens, and each visit (lượt tiếp).

Sessions and visits are recorded once and have no workflow: each service is a plain creation, one
transaction with its audit event. The visitors' identity is sealed (`petitions.identities`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.text import clean
from vanphong.org.models import Person
from vanphong.petitions import events
from vanphong.petitions.identities import Identity, seal_visitors
from vanphong.petitions.models import PetitionKind, ReceptionSession, SessionKind, Visit
from vanphong.petitions.permissions import REGISTER

# The fields an audit event keeps of a session and of a visit (never the visitors' identity).
SESSION_FIELDS = ["held_on", "kind", "leader", "led_by_head", "place", "notes"]
VISIT_FIELDS = [
    "session",
    "visited_on",
    "content_kind",
    "delegation_size",
    "content",
    "documents_handed_in",
    "answer",
]


@transaction.atomic(durable=True)
def save_session(
    actor: Actor,
    *,
    held_on: datetime.date,
    kind: str = SessionKind.REGULAR,
    leader: Person | None = None,
    led_by_head: bool = True,
    place: str = "",
    notes: str = "",
) -> ReceptionSession:
    require(actor, REGISTER)
    organisation = actor.organisation
    assert organisation is not None
    errors: dict[str, str] = {}
    if held_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["held_on"] = _("The date is more than a year ahead.")
    if leader is not None and leader.organisation_id != organisation.pk:
        errors["leader"] = _("The selected item does not exist.")
    if kind not in SessionKind.values:
        errors["kind"] = _("Unknown kind.")
    if errors:
        raise ValidationError(errors)
    session = ReceptionSession.objects.create(
        organisation=organisation,
        held_on=held_on,
        kind=kind,
        leader=leader,
        led_by_head=led_by_head,
        place=clean(place),
        notes=clean(notes),
        created_by=actor.user,
    )
    audit.record(
        actor,
        events.RECEPTION_SESSION_CREATED,
        session,
        organisation=organisation,
        after=audit.snapshot(session, SESSION_FIELDS),
    )
    return session


@transaction.atomic(durable=True)
def record_visit(
    actor: Actor,
    *,
    visited_on: datetime.date,
    content_kind: str,
    identity: Identity,
    content: str,
    session: ReceptionSession | None = None,
    delegation_size: int = 1,
    documents_handed_in: str = "",
    answer: str = "",
) -> Visit:
    require(actor, REGISTER)
    organisation = actor.organisation
    assert organisation is not None
    content = clean(content)
    errors: dict[str, str] = {}
    if not identity.name:
        errors["name"] = _("Enter the citizen's name (for a delegation, its representative's).")
    if not content:
        errors["content"] = _("Enter what the citizen said or asked.")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("The date is in the future.")
    if session is not None and session.organisation_id != organisation.pk:
        errors["session"] = _("The selected item does not exist.")
    elif session is not None and session.held_on != visited_on:
        errors["visited_on"] = _("A visit in a session takes place on the session's date.")
    if delegation_size < 1:
        errors["delegation_size"] = _("At least one person.")
    if content_kind not in PetitionKind.values:
        errors["content_kind"] = _("Unknown kind.")
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        organisation=organisation,
        session=session,
        visited_on=visited_on,
        content_kind=content_kind,
        delegation_size=delegation_size,
        citizens_sealed=seal_visitors(identity, organisation.pk),
        content=content,
        documents_handed_in=clean(documents_handed_in),
        answer=clean(answer),
        received_by=actor.user,
    )
    audit.record(
        actor,
        events.VISIT_RECORDED,
        visit,
        organisation=organisation,
        after=audit.snapshot(visit, VISIT_FIELDS),
    )
    return visit
