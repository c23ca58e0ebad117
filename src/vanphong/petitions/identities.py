"""Who the citizens are: their identity and contact, sealed at rest, and who may see them.

Citizens' identity and contact are sealed (`core.sealing`) before they are stored, with a context per
organisation and kind of row; audit snapshots never include them. A denouncer's (and a denunciation
visitor's) identity is shown only to the named handlers and the office chief, each showing audited
(`petitions.permissions`); registers, lists and exports never show it, whoever looks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db import transaction

from vanphong.core import audit
from vanphong.core.access import Actor
from vanphong.core.sealing import seal, unseal
from vanphong.core.text import clean
from vanphong.petitions import events
from vanphong.petitions.models import Petition, PetitionKind, Visit
from vanphong.petitions.permissions import may_see_identity, may_see_visitors


@dataclass(frozen=True)
class Identity:
    """A citizen's identity and contact (or a delegation's representatives), kept sealed."""

    name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    representatives: str = ""

    @classmethod
    def cleaned(cls, **values: Any) -> Identity:
        return cls(**{f.name: clean(values.get(f.name) or "") for f in fields(cls)})

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())


# The identity of a letter without one (anonymous, or sent by a body).
NO_IDENTITY = Identity()


def _petition_context(organisation_id: int) -> str:
    return f"petitions.petition.sender:{organisation_id}"


def _visit_context(organisation_id: int) -> str:
    return f"petitions.visit.citizens:{organisation_id}"


def _open(token: str, context: str) -> Identity:
    return Identity(**unseal(token, context)) if token else Identity()


def seal_sender(identity: Identity, organisation_id: int) -> str:
    """A petition's sender as stored (nothing for a letter without one)."""
    return "" if identity.is_empty else seal(asdict(identity), _petition_context(organisation_id))


def seal_visitors(identity: Identity, organisation_id: int) -> str:
    return seal(asdict(identity), _visit_context(organisation_id))


def open_sender(token: str, organisation_id: int) -> Identity:
    """A sealed sender, opened for the services' own use (matching, letters), never shown as such."""
    return _open(token, _petition_context(organisation_id))


def sender_of(petition: Petition) -> Identity:
    return open_sender(petition.sender_sealed, petition.organisation_id)


def visitors_of(visit: Visit) -> Identity:
    """The visitors, opened for the services' own use (a petition made at the visit takes them)."""
    return _open(visit.citizens_sealed, _visit_context(visit.organisation_id))


def sender(actor: Actor, petition: Petition) -> Identity | None:
    """The sender's identity if the actor may see it (None otherwise); a denouncer's view is audited."""
    if not may_see_identity(actor, petition):
        return None
    identity = sender_of(petition)
    if petition.kind == PetitionKind.DENUNCIATION and not identity.is_empty:
        with transaction.atomic(durable=True):
            audit.record(actor, events.PETITION_IDENTITY_VIEWED, petition, organisation=petition.organisation)
    return identity


def visitors(actor: Actor, visit: Visit) -> Identity | None:
    """The visitors' identity if the actor may see it (None otherwise); a denouncer's view is audited."""
    if not may_see_visitors(actor, visit):
        return None
    identity = visitors_of(visit)
    if visit.content_kind == PetitionKind.DENUNCIATION:
        with transaction.atomic(durable=True):
            audit.record(actor, events.VISIT_IDENTITY_VIEWED, visit, organisation=visit.organisation)
    return identity


def open_for_register(item: Petition | Visit) -> Identity | None:
    """The identity shown in registers, lists and exports: never a denouncer's, whoever looks."""
    if isinstance(item, Visit):
        return None if item.content_kind == PetitionKind.DENUNCIATION else visitors_of(item)
    return None if item.kind == PetitionKind.DENUNCIATION else sender_of(item)
