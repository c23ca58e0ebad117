"""Sources of tasks: the resolutions, directives, conclusions, plans and work programmes that assign
them, recorded by the office (or by meetings, from a meeting's conclusions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean
from vanphong.followup import events
from vanphong.followup.models import Source, SourceKind
from vanphong.followup.permissions import MANAGE
from vanphong.org.models import Term

SOURCE_FIELDS = ["kind", "title", "reference", "issued_on", "year", "term", "secrecy", "outgoing", "incoming"]


def acting_organisation(actor: Actor) -> Organisation:
    """The organisation the actor acts in (sources and tasks are made there)."""
    if actor.organisation is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    return actor.organisation


def check_secrecy(actor: Actor, secrecy: int, errors: dict[str, str]) -> None:
    """A source or task is at most as secret as the clearance of whoever records it."""
    if secrecy not in Clearance.values:
        errors["secrecy"] = _("Unknown secrecy level.")
    elif secrecy > actor.clearance:
        errors["secrecy"] = _("Your clearance does not allow handling tasks of this secrecy level.")


def create_source(
    actor: Actor,
    *,
    kind: str,
    title: str,
    reference: str = "",
    issued_on: datetime.date | None = None,
    outgoing: Any = None,
    incoming: Any = None,
    year: int | None = None,
    term: Term | None = None,
    secrecy: int = Clearance.NONE,
) -> Source:
    """A document, meeting conclusion or work programme that assigns tasks."""
    require(actor, MANAGE)
    organisation = acting_organisation(actor)
    source = Source(
        organisation=organisation,
        kind=kind,
        title=clean(title),
        reference=clean(reference),
        issued_on=issued_on,
        year=year,
        term=term,
        secrecy=secrecy,
        outgoing=outgoing,
        incoming=incoming,
        created_by=actor.user,
    )
    errors: dict[str, str] = {}
    if kind not in SourceKind.values:
        errors["kind"] = _("Unknown kind of source.")
    if not source.title:
        errors["title"] = _("Enter the title.")
    check_secrecy(actor, secrecy, errors)
    for field, linked in (("outgoing", outgoing), ("incoming", incoming), ("term", term)):
        if linked is not None and linked.organisation_id != organisation.pk:
            errors[field] = _("The selected item does not exist.")
    if kind == SourceKind.WORK_PROGRAMME:
        if year is None:
            errors["year"] = _("Enter the year the work programme covers.")
    elif year is None and issued_on is not None:
        source.year = issued_on.year
    if year is not None and not 1930 <= year <= 2200:
        errors["year"] = _("Enter a valid year.")
    if term is None and (source.issued_on or source.year) and not errors:
        day = source.issued_on or datetime.date(source.year or 1, 1, 1)
        source.term = (
            Term.objects.filter(organisation=organisation, start_date__lte=day)
            .exclude(end_date__lt=day)
            .first()
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        source.save()
        audit.record(
            actor,
            events.FOLLOWUP_SOURCE_CREATED,
            organisation=organisation,
            obj=source,
            after=audit.snapshot(source, SOURCE_FIELDS),
        )
    return source
