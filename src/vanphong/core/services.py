"""Writes of the core app: organisations and calendar overrides.

One function, one transaction, one audit event.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import audit, events
from vanphong.core.access import Actor, require
from vanphong.core.models import CalendarOverride, Organisation
from vanphong.core.permissions import CALENDAR_MANAGE
from vanphong.core.text import clean

# Issuing-body symbols are upper-case letters (Đ included) and digits, e.g. TU, HU, ĐU, VPTU, UBKTTU
# (HD 36-HD/VPTW: the symbol after the slash in "Số 12-NQ/TU").
SYMBOL_PATTERN = re.compile(r"^[A-ZĐ][A-ZĐ0-9]{0,19}$")


def validate_symbol(symbol: str) -> str:
    symbol = clean(symbol).upper()
    if not SYMBOL_PATTERN.match(symbol):
        raise ValidationError(
            {
                "symbol": _(
                    "The symbol “%(symbol)s” is not valid: use capital letters (Đ allowed) and digits, "
                    "up to 20 characters, e.g. TU, HU, ĐU."
                )
                % {"symbol": symbol}
            }
        )
    return symbol


def check_organisation(org: Organisation) -> None:
    """The rules an organisation must satisfy, with messages for the form that edits it."""
    errors: dict[str, str] = {}
    try:
        org.symbol = validate_symbol(org.symbol or "")
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if Organisation.objects.filter(code=org.code).exclude(pk=org.pk).exists():
        errors["code"] = _("Another organisation already uses the code “%(code)s”.") % {"code": org.code}
    if org.active_from and org.active_until and org.active_until < org.active_from:
        errors["active_until"] = _("The end of the active period is before its start.")
    if org.successor_id is not None and org.successor_id == org.pk:
        errors["successor"] = _("An organisation cannot be its own successor.")
    if org.successor_id is not None and org.active_until is None:
        errors["active_until"] = _("Set the date the organisation ceased before naming its successor.")
    ancestor = org.parent
    while ancestor is not None:
        if org.pk is not None and ancestor.pk == org.pk:
            errors["parent"] = _("The parent organisation cannot be this organisation or one under it.")
            break
        ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)


def _require_deployment_admin(by: Any) -> None:
    # Organisations are the deployment's configuration: only superusers or the system itself (CLI).
    if by is not None and not getattr(by, "is_superuser", False):
        raise PermissionDenied(_("Only a deployment administrator may manage organisations."))


def save_organisation(*, by: Any, organisation: Organisation) -> Organisation:
    """Create or update an organisation after normalising and checking its fields."""
    _require_deployment_admin(by)
    for name in ("name", "short_name", "place_name", "parent_body_name"):
        setattr(organisation, name, clean(getattr(organisation, name)))
    organisation.code = clean(organisation.code).lower()
    organisation.full_clean(validate_unique=False)
    check_organisation(organisation)
    with transaction.atomic():
        before = None
        if organisation.pk is not None:
            before = audit.snapshot(Organisation.objects.select_for_update().get(pk=organisation.pk))
        organisation.save()
        audit.record(
            Actor.of_user(by),
            events.ORGANISATION_UPDATED if before else events.ORGANISATION_CREATED,
            organisation=organisation,
            obj=organisation,
            before=before,
            after=audit.snapshot(organisation),
        )
    return organisation


def create_organisation(*, by: Any, **fields: Any) -> Organisation:
    return save_organisation(by=by, organisation=Organisation(**fields))


def set_calendar_override(
    actor: Actor,
    *,
    date: datetime.date,
    is_working_day: bool,
    name: str,
    source: str = "",
    national: bool = False,
) -> CalendarOverride:
    """Declare a day off or a make-up working day, for the actor's organisation or (superuser) nationally."""
    require(actor, CALENDAR_MANAGE)
    if national and not getattr(actor.user, "is_superuser", False):
        raise PermissionDenied(_("Only a deployment administrator may change the national calendar."))
    name = clean(name)
    if not name:
        raise ValidationError({"name": _("Give the day a name, e.g. the holiday it belongs to.")})
    organisation = None if national else actor.organisation
    with transaction.atomic():
        existing = (
            CalendarOverride.objects.select_for_update().filter(organisation=organisation, date=date).first()
        )
        before = audit.snapshot(existing) if existing else None
        override = existing or CalendarOverride(organisation=organisation, date=date)
        override.is_working_day = is_working_day
        override.name = name
        override.source = clean(source)
        override.save()
        audit.record(
            actor,
            events.CALENDAR_OVERRIDE_SET,
            organisation=organisation,
            obj=override,
            before=before,
            after=audit.snapshot(override),
        )
    return override
