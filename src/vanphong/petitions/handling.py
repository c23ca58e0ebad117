"""Handling of an accepted petition: its handlers are named, its deadline extended or computed again
when the case is found complex, then it is concluded and the sender answered.

The services that check or compute from the petition lock it first (`petitions.workflow.lock`): what
they check and compute (the extensions already decided, the complexity, the dates) is what they
change, even with two officers at work on the same case. The handlers are named once the transition
is allowed, on the locked row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.accounts.models import Membership
from vanphong.core.access import Actor
from vanphong.core.text import clean
from vanphong.petitions import rules
from vanphong.petitions.models import Extension, HandlerRole, Petition, PetitionHandler
from vanphong.petitions.permissions import VIEW
from vanphong.petitions.workflow import check_step_date, lock, transition


def _members_who_see_petitions(organisation: Any, users: Iterable[Any]) -> list[Any]:
    chosen = [user for user in users if user is not None]
    memberships = Membership.objects.filter(organisation=organisation, is_active=True, user__in=chosen)
    entitled = {m.user_id for m in memberships if Actor.for_membership(m).has_perm(VIEW)}
    if any(user.pk not in entitled for user in chosen):
        raise ValidationError(
            {"lead": _("Handlers must be members of this organisation who work on citizen reception.")}
        )
    return chosen


@transaction.atomic(durable=True)
def assign(
    actor: Actor, petition: Petition, *, lead: Any, support: Iterable[Any] = (), note: str = ""
) -> Petition:
    """Name the lead handler (and supporting ones); they alone, with the office chief, see a denouncer."""
    if lead is None:
        raise ValidationError({"lead": _("Choose the lead handler.")})
    support = [user for user in support if user is not None and user.pk != lead.pk]
    _members_who_see_petitions(actor.organisation, [lead, *support])
    named = [(lead, HandlerRole.LEAD), *((user, HandlerRole.SUPPORT) for user in support)]

    def name_handlers(locked: Petition) -> None:
        locked.handlers.exclude(role=HandlerRole.INTAKE).delete()
        for user, role in named:
            PetitionHandler.objects.update_or_create(
                petition=locked,
                user=user,
                defaults={"role": role, "named_by": actor.user, "organisation": locked.organisation},
            )

    names = ", ".join(user.get_full_name() or user.username for user, _role in named)
    return transition(
        actor, petition, "assign", on=timezone.localdate(), note=note or names, change=name_handlers
    )


def _extended_days(petition: Petition) -> int:
    return sum(petition.extensions.values_list("days", flat=True))


def _extended_deadline(
    petition: Petition, *, complex_case: bool, remote: bool, extended_by: int
) -> datetime.date:
    """The resolution deadline from the rule the petition was accepted under and its extensions,
    counted from acceptance (`rules.compute`: Luật Tố cáo 2018, Điều 30)."""
    assert petition.resolution_rule is not None and petition.accepted_on is not None
    return rules.compute(
        petition.resolution_rule,
        petition.accepted_on,
        petition.organisation,
        complex_case=complex_case,
        remote=remote,
        extended_by=extended_by,
    ).date


@transaction.atomic(durable=True)
def extend(
    actor: Actor,
    petition: Petition,
    *,
    decision_reference: str,
    decided_on: datetime.date,
    days: int,
    reason: str,
) -> Extension:
    """Record a written extension decision (Law on Denunciations 2018 art. 30) the rule allows."""
    lock(petition)
    decision_reference, reason = clean(decision_reference), clean(reason)
    errors: dict[str, str] = {}
    if not decision_reference:
        errors["decision_reference"] = _(
            "Enter the number of the extension decision: an extension is decided in writing."
        )
    if not reason:
        errors["reason"] = _("Give the reason.")
    check_step_date(decided_on, "decided_on", errors)
    if petition.accepted_on and decided_on < petition.accepted_on:
        errors["decided_on"] = _("The decision is dated before the acceptance.")
    if errors:
        raise ValidationError(errors)
    rules.check_extension(
        petition.resolution_rule,
        done=petition.extensions.count(),
        days=days,
        complex_case=petition.is_complex,
        especially_complex=petition.is_especially_complex,
    )
    previous = petition.resolution_deadline
    assert previous is not None
    new_deadline = _extended_deadline(
        petition,
        complex_case=petition.is_complex,
        remote=petition.remote_area,
        extended_by=_extended_days(petition) + days,
    )
    transition(
        actor,
        petition,
        "extend",
        on=decided_on,
        note=f"{decision_reference}: +{days} ({reason})",
        resolution_deadline=new_deadline,
    )
    return Extension.objects.create(
        organisation=petition.organisation,
        petition=petition,
        decision_reference=decision_reference,
        decided_on=decided_on,
        days=days,
        reason=reason,
        previous_deadline=previous,
        new_deadline=new_deadline,
        recorded_by=actor.user,
    )


@transaction.atomic(durable=True)
def classify(
    actor: Actor,
    petition: Petition,
    *,
    is_complex: bool,
    is_especially_complex: bool,
    remote_area: bool,
    note: str = "",
) -> Petition:
    """A case found complex (or not) after acceptance: its deadline is computed again from the rule
    it was accepted under, with the recorded extensions, from acceptance."""
    lock(petition)
    deadline = petition.resolution_deadline
    if petition.resolution_rule is not None and petition.accepted_on is not None:
        deadline = _extended_deadline(
            petition,
            complex_case=is_complex or is_especially_complex,
            remote=remote_area,
            extended_by=_extended_days(petition),
        )
    return transition(
        actor,
        petition,
        "classify",
        on=timezone.localdate(),
        note=note,
        is_complex=is_complex or is_especially_complex,
        is_especially_complex=is_especially_complex,
        remote_area=remote_area,
        resolution_deadline=deadline,
    )


def _check_resolution_date(petition: Petition, on: datetime.date, errors: dict[str, str]) -> None:
    check_step_date(on, "on", errors)
    if petition.accepted_on and on < petition.accepted_on:
        values = {"date": on.strftime("%d/%m/%Y"), "accepted": petition.accepted_on.strftime("%d/%m/%Y")}
        if petition.resolution_rule is None:
            errors["on"] = (
                _("The resolution date %(date)s is before the acceptance on %(accepted)s.") % values
            )
        else:
            errors["on"] = _(
                "The resolution date %(date)s is before the acceptance on %(accepted)s: the resolution "
                "period runs from acceptance (%(source)s)."
            ) % {**values, "source": petition.resolution_rule.source}


@transaction.atomic(durable=True)
def conclude(actor: Actor, petition: Petition, *, on: datetime.date, conclusion: str) -> Petition:
    lock(petition)
    conclusion = clean(conclusion)
    errors: dict[str, str] = {}
    if not conclusion:
        errors["conclusion"] = _("Enter the conclusion.")
    _check_resolution_date(petition, on, errors)
    if errors:
        raise ValidationError(errors)
    return transition(actor, petition, "conclude", on=on, concluded_on=on, conclusion=conclusion)


@transaction.atomic(durable=True)
def answer(actor: Actor, petition: Petition, *, on: datetime.date, text: str) -> Petition:
    lock(petition)
    text = clean(text)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Enter the answer given to the sender.")
    _check_resolution_date(petition, on, errors)
    if petition.concluded_on and on < petition.concluded_on:
        errors["on"] = _("The answer is dated before the conclusion.")
    if errors:
        raise ValidationError(errors)
    return transition(actor, petition, "answer", on=on, answered_on=on, answer=text)
