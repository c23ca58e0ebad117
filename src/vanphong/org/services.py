"""Writes of the organisation structure: units, people, terms, bodies, memberships, positions, holders.

Every write goes through `_save`: permission check, NFC-clean text, model validation, the rule
checks of that kind of row under a lock, the save and its audit event, in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.text import clean, fold, name_sort_key
from vanphong.org import events
from vanphong.org.models import Body, BodyMembership, Person, Position, PositionHolding, Term, Unit
from vanphong.org.permissions import STRUCTURE_MANAGE

M = TypeVar("M", bound=models.Model)


def _overlaps(
    queryset: models.QuerySet[Any], start: datetime.date, end: datetime.date | None
) -> models.QuerySet[Any]:
    """Rows whose [start_date, end_date] period (end empty = still running) meets [start, end]."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    return queryset


def _same_org(actor: Actor, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organisation_id != getattr(actor.organisation, "pk", None):
            # Another organisation's row is reported as missing, as everywhere else.
            raise ValidationError(_("The selected item does not exist."))


def _save(
    actor: Actor,
    instance: M,
    *,
    check: Callable[[M], None] | None = None,
    lock: models.Model | None = None,
) -> M:
    require(actor, STRUCTURE_MANAGE)
    organisation = actor.organisation
    assert organisation is not None  # require() passed, so the actor is a member
    if instance.pk is not None and instance.organisation_id != organisation.pk:  # type: ignore[attr-defined]
        raise PermissionDenied(_("You do not have permission to do this."))
    instance.organisation = organisation  # type: ignore[attr-defined]
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField) and not field.choices:
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean(value))
    instance.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    label = str(instance._meta.model_name)
    with transaction.atomic():
        if lock is not None:
            # Serialise writers that check the same rule (two holders of one position at once).
            type(lock)._default_manager.select_for_update().filter(pk=lock.pk).first()
        before = None
        if instance.pk is not None:
            before = audit.snapshot(type(instance)._default_manager.select_for_update().get(pk=instance.pk))
        if check is not None:
            check(instance)
        instance.validate_constraints()
        instance.validate_unique()
        instance.save()
        audit.record(
            actor,
            events.SAVED[label, before is None],
            organisation=organisation,
            obj=instance,
            before=before,
            after=audit.snapshot(instance),
        )
    return instance


def save_unit(actor: Actor, unit: Unit) -> Unit:
    _same_org(actor, unit.parent)
    return _save(actor, unit)


def save_person(actor: Actor, person: Person) -> Person:
    _same_org(actor, person.unit)
    for name in ("family_name", "middle_name", "given_name"):
        setattr(person, name, clean(getattr(person, name)))
    if not person.given_name:
        raise ValidationError({"given_name": _("Enter the given name.")})
    person.sort_key = name_sort_key(person.family_name, person.middle_name, person.given_name)
    person.search_name = fold(person.full_name)
    return _save(actor, person)


def _check_term(term: Term) -> None:
    clash = _overlaps(
        Term.objects.filter(organisation=term.organisation).exclude(pk=term.pk),
        term.start_date,
        term.end_date,
    )
    other = clash.first()
    if other is not None:
        raise ValidationError(
            _("This term overlaps the term “%(other)s”: terms of one committee follow each other.")
            % {"other": other.name}
        )


def save_term(actor: Actor, term: Term) -> Term:
    return _save(actor, term, check=_check_term, lock=actor.organisation)


def save_body(actor: Actor, body: Body) -> Body:
    _same_org(actor, body.term)
    return _save(actor, body)


def _check_body_membership(membership: BodyMembership) -> None:
    term = membership.body.term
    if membership.start_date < term.start_date or (
        term.end_date is not None and membership.start_date > term.end_date
    ):
        raise ValidationError({"start_date": _("The membership must start within the body's term.")})
    clash = _overlaps(
        BodyMembership.objects.filter(body=membership.body, person=membership.person).exclude(
            pk=membership.pk
        ),
        membership.start_date,
        membership.end_date,
    )
    if clash.exists():
        raise ValidationError(
            _("%(person)s is already a member of this body in that period.")
            % {"person": membership.person.full_name}
        )


def save_body_membership(actor: Actor, membership: BodyMembership) -> BodyMembership:
    _same_org(actor, membership.body, membership.person)
    return _save(actor, membership, check=_check_body_membership, lock=membership.body)


def save_position(actor: Actor, position: Position) -> Position:
    _same_org(actor, position.unit)
    return _save(actor, position)


def _check_holding(holding: PositionHolding) -> None:
    position = holding.position
    others = _overlaps(
        PositionHolding.objects.filter(position=position).exclude(pk=holding.pk),
        holding.start_date,
        holding.end_date,
    ).select_related("person")
    if holding.person_id in {other.person_id for other in others}:
        raise ValidationError(
            _("%(person)s already holds this position in that period.") % {"person": holding.person.full_name}
        )
    # Counting overlapping holders is enough for the usual one-seat post; for several seats check
    # each day a holder starts, since overlaps need not all share a common day.
    checkpoints = {holding.start_date} | {o.start_date for o in others if o.start_date >= holding.start_date}
    for day in checkpoints:
        if holding.end_date is not None and day > holding.end_date:
            continue
        at_once = [o for o in others if o.covers(day)]
        if len(at_once) >= position.seats:
            names = ", ".join(o.person.full_name for o in at_once)
            raise ValidationError(
                _("“%(position)s” is held by %(names)s on %(day)s: end that holding first.")
                % {"position": position.title, "names": names, "day": day.strftime("%d/%m/%Y")}
            )


def save_holding(actor: Actor, holding: PositionHolding) -> PositionHolding:
    _same_org(actor, holding.position, holding.person)
    return _save(actor, holding, check=_check_holding, lock=holding.position)


def end_holding(actor: Actor, holding: PositionHolding, end_date: datetime.date) -> PositionHolding:
    holding.end_date = end_date
    return save_holding(actor, holding)


# Rule checks by model, for forms outside these services (the admin) to report errors before saving.
CHECKS: dict[type[models.Model], Callable[[Any], None]] = {
    Term: _check_term,
    BodyMembership: _check_body_membership,
    PositionHolding: _check_holding,
}

SAVERS: dict[type[models.Model], Callable[[Actor, Any], Any]] = {
    Unit: save_unit,
    Person: save_person,
    Term: save_term,
    Body: save_body,
    BodyMembership: save_body_membership,
    Position: save_position,
    PositionHolding: save_holding,
}
