"""The audit log: every write by a service records who, what, when and the change.

Events form one hash chain per organisation (and one system chain for writes that belong to no
organisation). Each event's hash covers its content and the previous event's hash, and the chain
head keeps the last sequence number and hash, so `vanphong audit verify` detects an event that was
changed, deleted from the middle or cut from the end.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from vanphong.core import events
from vanphong.core.access import Actor, policy_for, visible
from vanphong.core.models import AuditChain, AuditEvent, Organisation
from vanphong.core.secrecy import derived_secrecy

GENESIS_HASH = "0" * 64
SYSTEM_CHAIN = "system"
SYSTEM_ACTOR = "(system)"


def chain_key(organisation: Organisation | None) -> str:
    return f"org:{organisation.pk}" if organisation is not None else SYSTEM_CHAIN


def _plain(value: Any) -> Any:
    """JSON-safe copy, so the hash is computed over exactly what the database stores."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The stored values of a model instance (foreign keys as ids), for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = field.value_from_object(instance)
    plain: dict[str, Any] = _plain(data)
    return plain


def _event_hash(event: AuditEvent) -> str:
    payload = {
        "chain": event.chain.key,
        "seq": event.seq,
        "organisation": event.organisation_id,
        "actor": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "created_at": event.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_ACTORS_ORGANISATION: Any = object()


def record(
    actor: Actor,
    event: str,
    obj: models.Model | None = None,
    *,
    organisation: Organisation | None = _ACTORS_ORGANISATION,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    about: Iterable[Any] = (),
) -> AuditEvent:
    """Append `event` (declared in an app's events.py) by `actor` to the chain of the organisation
    (the actor's, unless given: None for the deployment's own chain), in the caller's transaction.

    The event is as secret as what it carries (`core.secrecy`): the object, its snapshots and the
    other objects named in `about` (an agenda item recorded on its meeting, say). Only readers
    cleared for that level, who may also read the object, see its content (`visible_content`).
    """
    if organisation is _ACTORS_ORGANISATION:
        organisation = actor.organisation
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    key = chain_key(organisation)
    # No savepoint: the event belongs to the caller's transaction and fails with it.
    with transaction.atomic(savepoint=False):
        chain = AuditChain.objects.select_for_update().filter(key=key).first()
        if chain is None:  # first event of this organisation
            AuditChain.objects.get_or_create(key=key, defaults={"organisation": organisation})
            chain = AuditChain.objects.select_for_update().get(key=key)
        entry = AuditEvent(
            chain=chain,
            seq=chain.last_seq + 1,
            organisation=organisation,
            actor=user,
            actor_username=user.get_username() if user else SYSTEM_ACTOR,
            action=events.check(event),
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:255] if obj is not None else "",
            before=_plain(before),
            after=_plain(after),
            created_at=timezone.now(),
            prev_hash=chain.last_hash or GENESIS_HASH,
            secrecy=derived_secrecy([obj, before, after, *about]),
        )
        entry.hash = _event_hash(entry)
        entry.save()
        chain.last_seq = entry.seq
        chain.last_hash = entry.hash
        chain.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    seq: int
    problem: str


def verify(chains: list[AuditChain] | None = None) -> tuple[int, list[ChainProblem]]:
    """Recompute every chain. Returns the number of events checked and the problems found."""
    problems: list[ChainProblem] = []
    checked = 0
    for chain in chains if chains is not None else AuditChain.objects.order_by("key"):
        expected_seq = 1
        prev_hash = GENESIS_HASH
        events = AuditEvent.objects.filter(chain=chain).select_related("chain").order_by("seq")
        for event in events.iterator(chunk_size=2000):
            checked += 1
            if event.seq != expected_seq:
                problems.append(ChainProblem(chain.key, expected_seq, "missing"))
            if event.prev_hash != prev_hash:
                problems.append(ChainProblem(chain.key, event.seq, "broken link"))
            if _event_hash(event) != event.hash:
                problems.append(ChainProblem(chain.key, event.seq, "altered"))
            expected_seq = event.seq + 1
            prev_hash = event.hash
        if expected_seq - 1 != chain.last_seq or prev_hash != (chain.last_hash or GENESIS_HASH):
            problems.append(ChainProblem(chain.key, chain.last_seq, "missing at the end"))
    return checked, problems


def visible_content(actor: Actor, events: Iterable[AuditEvent]) -> set[int]:
    """The ids of the events whose content (object, before, after) the actor may read.

    The event's secrecy must be within the actor's clearance, and the object, while it exists, must
    be one the actor may see (its access policy: need-to-know, a denouncer's petition, ...). Who did
    what and when is shown to every reader of the log; the content only to these.
    """
    cleared = [event for event in events if event.secrecy <= actor.clearance]
    by_type: dict[str, list[AuditEvent]] = {}
    for event in cleared:
        by_type.setdefault(event.object_type, []).append(event)
    shown: set[int] = set()
    for label, group in by_type.items():
        model = _model(label)
        ids = [event.object_id for event in group if event.object_id.isdigit()]
        if model is None or not ids:
            shown.update(event.pk for event in group)
            continue
        existing = {str(pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)}
        readable = {str(pk) for pk in visible(actor, model).filter(pk__in=ids).values_list("pk", flat=True)}
        shown.update(
            event.pk for event in group if event.object_id in readable or event.object_id not in existing
        )
    return shown


def _model(label: str) -> type[models.Model] | None:
    """The model of an object type, when it has an access policy."""
    try:
        model = apps.get_model(label)
        policy_for(model)
    except (LookupError, ValueError):
        return None
    return model


@dataclass(frozen=True)
class Step:
    """One line of an object's history as its page shows it."""

    at: datetime.datetime
    who: str
    label: str
    note: str = ""


def timeline(
    obj: models.Model, labels: Mapping[str, Any], notes: Mapping[str, str] | None = None
) -> list[Step]:
    """The object's history from its audit events, oldest first: the events named in `labels` (others
    are left out), each with who took it and, where `notes` names a field of the event's `after`, what
    that field became (a reason, a number). For a page that already shows the object to its reader."""
    notes = notes or {}
    rows = (
        AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk), action__in=list(labels))
        .select_related("actor")
        .order_by("seq")
    )
    return [
        Step(
            at=event.created_at,
            who=(event.actor.get_full_name() or event.actor.get_username())
            if event.actor
            else gettext("the system"),
            label=str(labels[event.action]),
            note=str((event.after or {}).get(notes[event.action], "")) if event.action in notes else "",
        )
        for event in rows
    ]
