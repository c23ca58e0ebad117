"""Statutory deadlines of petitions, from the versioned rule rows (petitions/data/rules.json).

A period starts the day after the event (receipt, acceptance): Civil Code 2015 art. 147(2) counts
from the next day, and `WorkingCalendar.working_days_after` does the same. Working days go through
the working-day calendar (weekends, Tết and the other public holidays, swap days, overrides).
Where the regulation's reading is open, the organisation's choice (`PetitionSettings`) is read and
saved here.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.models import Organisation
from vanphong.petitions import events
from vanphong.petitions.models import (
    DayCount,
    DeadlineRule,
    Instance,
    PetitionKind,
    PetitionSettings,
    ReceptionMinimum,
    Stage,
)
from vanphong.petitions.permissions import SETTINGS

RULES_FILE = Path(__file__).parent / "data" / "rules.json"

# Kinds with a statutory period (FACTS §4); proposals and reports have none in FACTS.
KINDS_WITH_DEADLINES = (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION)


def load_rules(rule_model: Any = DeadlineRule, minimum_model: Any = ReceptionMinimum) -> None:
    """Create the shipped rule rows that are missing (used by the data migrations, whose models may
    not have every column of the file yet: those are left to the migration that adds them)."""
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    for model, key_names, rows in (
        (rule_model, ("kind", "stage", "instance", "effective_from"), data["deadline_rules"]),
        (minimum_model, ("level", "effective_from"), data["reception_minimums"]),
    ):
        columns = {field.name for field in model._meta.get_fields()}
        for row in rows:
            keys = {name: row[name] for name in key_names}
            defaults = {k: v for k, v in row.items() if k not in keys and k in columns}
            model.objects.get_or_create(**keys, defaults=defaults)


def petition_settings(organisation: Organisation) -> PetitionSettings:
    """The organisation's settings, or the defaults (unsaved: reading them writes nothing)."""
    found = PetitionSettings.objects.filter(organisation=organisation).first()
    return found or PetitionSettings(organisation=organisation)


@transaction.atomic(durable=True)
def save_settings(actor: Actor, settings: PetitionSettings) -> PetitionSettings:
    require(actor, SETTINGS)
    assert actor.organisation is not None and settings.organisation_id == actor.organisation.pk
    fields = ["open_day_count", "move_off_day_deadlines"]
    stored = PetitionSettings.objects.filter(pk=settings.pk).first()
    before = audit.snapshot(stored, fields) if stored else None
    settings.save()
    audit.record(
        actor,
        events.PETITION_SETTINGS_UPDATED,
        settings,
        before=before,
        after=audit.snapshot(settings, fields),
    )
    return settings


def rule_for(kind: str, stage: str, on: datetime.date, instance: str = "") -> DeadlineRule | None:
    """The rule in force on `on` (the day the period starts)."""
    if kind != PetitionKind.COMPLAINT or stage != Stage.RESOLUTION:
        instance = ""
    return (
        DeadlineRule.objects.filter(kind=kind, stage=stage, instance=instance, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def day_count(rule: DeadlineRule, settings: PetitionSettings) -> str:
    """How the rule's days are counted: its own reading, unless that reading is not confirmed
    (FACTS §4: OPEN) and the organisation chose another one."""
    if rule.day_count_open and settings.open_day_count:
        return settings.open_day_count
    return rule.day_count


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    days: int
    counted: str  # DayCount.CALENDAR or WORKING
    rule: DeadlineRule


def add_days(
    start: datetime.date, days: int, counted: str, calendar: WorkingCalendar, settings: PetitionSettings
) -> datetime.date:
    if counted == DayCount.WORKING:
        return calendar.working_days_after(start, days)
    end = start + datetime.timedelta(days=days)
    if settings.move_off_day_deadlines:
        # Civil Code 2015 art. 148(5): a period ending on a day off ends on the next working day.
        end = calendar.working_days_after(end, 0)
    return end


def compute(
    rule: DeadlineRule,
    start: datetime.date,
    organisation: Organisation,
    *,
    complex_case: bool = False,
    remote: bool = False,
    extended_by: int = 0,
) -> Deadline:
    """The end of a period: the rule's days for the case, plus `extended_by`, the days of the
    recorded extensions, counted together from `start`.

    Luật Tố cáo 2018, Điều 30 caps the resolution of a denunciation at 30 days from acceptance plus
    one extension of at most 30 days (complex) or two (especially complex): 60 or 90 days in all.
    So the extensions are added to the period itself, not to a deadline already moved off a day off;
    only the final date moves (Civil Code 2015, Điều 148(5), where the organisation chose it).
    """
    settings = petition_settings(organisation)
    counted = day_count(rule, settings)
    days = rule.days_for(complex_case=complex_case, remote=remote) + extended_by
    return Deadline(
        add_days(start, days, counted, WorkingCalendar(organisation), settings), days, counted, rule
    )


def acceptance_deadline(kind: str, received_on: datetime.date, organisation: Organisation) -> Deadline | None:
    rule = rule_for(kind, Stage.ACCEPTANCE, received_on)
    return compute(rule, received_on, organisation) if rule else None


def resolution_deadline(
    kind: str,
    accepted_on: datetime.date,
    organisation: Organisation,
    *,
    instance: str = Instance.FIRST,
    complex_case: bool = False,
    remote: bool = False,
) -> Deadline | None:
    rule = rule_for(kind, Stage.RESOLUTION, accepted_on, instance)
    if rule is None:
        return None
    return compute(rule, accepted_on, organisation, complex_case=complex_case, remote=remote)


def check_extension(
    rule: DeadlineRule | None, *, done: int, days: int, complex_case: bool, especially_complex: bool
) -> None:
    """Refuse an extension the rule does not allow, naming the rule and its source."""
    if rule is None or not rule.extension_days:
        raise ValidationError(
            _("This petition's resolution period cannot be extended (%(source)s)."),
            params={"source": rule.source if rule else _("no deadline rule")},
            code="no_extension",
        )
    if days < 1 or days > rule.extension_days:
        raise ValidationError(
            _("An extension is at most %(max)s days (%(source)s); %(days)s days were asked."),
            params={"max": rule.extension_days, "source": rule.source, "days": days},
            code="extension_too_long",
        )
    if not (complex_case or especially_complex):
        raise ValidationError(
            _("Only a complex case may be extended (%(source)s): mark the case complex first."),
            params={"source": rule.source},
            code="not_complex",
        )
    allowed = rule.max_extensions_especially_complex if especially_complex else rule.max_extensions_complex
    if done >= allowed:
        if not especially_complex and done < rule.max_extensions_especially_complex:
            raise ValidationError(
                _(
                    "A second extension is allowed only for an especially complex case (%(source)s); "
                    "this case is not marked especially complex."
                ),
                params={"source": rule.source},
                code="second_extension_not_especially_complex",
            )
        raise ValidationError(
            _("The legal maximum of %(max)s extensions is reached (%(source)s)."),
            params={"max": allowed, "source": rule.source},
            code="too_many_extensions",
        )


def reception_minimum(organisation: Organisation, on: datetime.date) -> ReceptionMinimum | None:
    return (
        ReceptionMinimum.objects.filter(level=organisation.level, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
