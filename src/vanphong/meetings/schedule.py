"""The leadership's weekly work schedule (lịch công tác tuần): drafted by the office from the meetings
planned that week, approved, published; a change after publication is marked for its readers."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.text import clean
from vanphong.meetings import events
from vanphong.meetings.models import (
    Meeting,
    MeetingStatus,
    ScheduleEntry,
    ScheduleStatus,
    WeeklySchedule,
)
from vanphong.meetings.permissions import APPROVE_SCHEDULE, MANAGE, acting_organisation

ENTRY_FIELDS = ["day", "start", "end", "leaders", "content", "place", "preparer", "cancelled"]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def start_week(actor: Actor, day: datetime.date) -> WeeklySchedule:
    """The draft schedule of the week of `day`, started from the meetings planned that week."""
    require(actor, MANAGE)
    organisation = acting_organisation(actor)
    monday = monday_of(day)
    with transaction.atomic(durable=True):
        schedule, created = WeeklySchedule.objects.get_or_create(organisation=organisation, week_start=monday)
        if not created:
            return schedule
        start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
        meetings = Meeting.objects.filter(
            organisation=organisation, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)
        ).exclude(status=MeetingStatus.CANCELLED)
        for meeting in meetings.select_related("chair"):
            begins, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
            ScheduleEntry.objects.create(
                organisation=organisation,
                schedule=schedule,
                day=begins.date(),
                start=begins.time(),
                end=ends.time() if ends.date() == begins.date() else None,
                leaders=meeting.chair.full_name if meeting.chair is not None else "",
                content=meeting.title,
                place=meeting.place,
                preparer=_("The office"),
                meeting=meeting,
            )
        audit.record(actor, events.SCHEDULE_CREATED, organisation=organisation, obj=schedule)
    return schedule


def save_entry(actor: Actor, entry: ScheduleEntry) -> ScheduleEntry:
    """Add or change an entry; after publication the change is marked for readers."""
    require(actor, MANAGE)
    schedule = entry.schedule
    entry.leaders, entry.content, entry.place, entry.preparer = (
        clean(entry.leaders),
        clean(entry.content),
        clean(entry.place),
        clean(entry.preparer),
    )
    errors: dict[str, str] = {}
    if not schedule.week_start <= entry.day < schedule.week_start + datetime.timedelta(days=7):
        errors["day"] = _("The day must be within the week of this schedule.")
    if entry.end is not None and entry.end <= entry.start:
        errors["end"] = _("The end must be after the start.")
    for field, message in (
        ("leaders", _("Enter who takes part.")),
        ("content", _("Enter what the activity is.")),
        ("place", _("Enter the place.")),
    ):
        if not getattr(entry, field):
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    creating = entry.pk is None
    with transaction.atomic(durable=True):
        before = None if creating else audit.snapshot(ScheduleEntry.objects.get(pk=entry.pk), ENTRY_FIELDS)
        entry.organisation = schedule.organisation
        if schedule.status == ScheduleStatus.PUBLISHED:
            entry.changed_after_publication = timezone.now()
        elif schedule.status == ScheduleStatus.APPROVED:
            # A change to an approved draft needs approving again.
            schedule.status = ScheduleStatus.DRAFT
            schedule.approved_by = None
            schedule.save(update_fields=["status", "approved_by"])
        entry.save()
        audit.record(
            actor,
            events.SCHEDULE_ENTRY_SAVED,
            organisation=schedule.organisation,
            obj=schedule,
            before=before,
            after=audit.snapshot(entry, ENTRY_FIELDS),
        )
    return entry


def approve_schedule(actor: Actor, schedule: WeeklySchedule) -> WeeklySchedule:
    require(actor, APPROVE_SCHEDULE)
    if schedule.status != ScheduleStatus.DRAFT:
        raise ValidationError(_("Only a draft schedule can be approved."))
    if not schedule.entries.exists():
        raise ValidationError(_("The schedule has no entries."))
    with transaction.atomic(durable=True):
        schedule.status, schedule.approved_by = ScheduleStatus.APPROVED, actor.user
        schedule.save(update_fields=["status", "approved_by"])
        audit.record(actor, events.SCHEDULE_APPROVED, organisation=schedule.organisation, obj=schedule)
    return schedule


def publish_schedule(actor: Actor, schedule: WeeklySchedule) -> WeeklySchedule:
    require(actor, MANAGE)
    if schedule.status != ScheduleStatus.APPROVED:
        raise ValidationError(_("The schedule must be approved before it is published."))
    with transaction.atomic(durable=True):
        schedule.status, schedule.published_at = ScheduleStatus.PUBLISHED, timezone.now()
        schedule.save(update_fields=["status", "published_at"])
        audit.record(actor, events.SCHEDULE_PUBLISHED, organisation=schedule.organisation, obj=schedule)
    return schedule
