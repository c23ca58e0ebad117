"""The daily urging job (đôn đốc): reminders before the deadline and when it has passed.

Once a day (`vanphong followup remind`, or the thread `vanphong serve` starts):
1. recurring series generate their occurrences due up to one period ahead;
2. an open task whose deadline is within the organisation's "due soon" working days gets one
   reminder to its lead unit (once per deadline: an extension re-arms it);
3. an overdue task gets a reminder to its lead unit, escalated to the responsible committee member
   and the office chief, on its first overdue day and then every N days (organisation setting).

Every reminder is a `Reminder` row (task, kind, day, recipients), each recipient gets a notification
in the app and one e-mail listing their tasks. The tasks selected are those due for a reminder
today only: the job reads open tasks by (phase, deadline) and the two `reminded_*` columns it keeps,
so its cost grows with the number of tasks due, not with the number of tasks. Running it twice on
the same day sends nothing the second time (the columns are set and `Reminder` is unique per task,
kind and day). Secret tasks are named in notifications and e-mails by number only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vanphong.accounts.models import Membership, RoleCode
from vanphong.core import audit, deadlines
from vanphong.core.access import Actor
from vanphong.core.models import CalendarOverride, Clearance, Organisation
from vanphong.followup import events
from vanphong.followup.assignment import generate_occurrences
from vanphong.followup.models import OPEN_PHASES, FollowupSettings, Notification, Reminder, ReminderKind, Task
from vanphong.org.models import Person

DEFAULT = FollowupSettings()  # the settings of an organisation that has none


@dataclass
class Summary:
    occurrences: int = 0
    before: int = 0
    overdue: int = 0
    notifications: int = 0
    emails: int = 0

    def line(self) -> str:
        return (
            f"{self.before} reminders before the deadline, {self.overdue} overdue reminders (escalated), "
            f"{self.notifications} notifications, {self.emails} e-mails, {self.occurrences} new occurrences"
        )


def _describe(task: Task) -> str:
    deadline = task.deadline.strftime("%d/%m/%Y") if task.deadline else ""
    if task.secrecy > Clearance.NONE:
        return _("Restricted task no. %(id)s (due %(deadline)s)") % {"id": task.pk, "deadline": deadline}
    return _("“%(task)s” (due %(deadline)s)") % {"task": str(task), "deadline": deadline}


def _horizon(today: datetime.date) -> datetime.date:
    """The latest deadline that any organisation counts as due soon today: the national calendar
    with the default window, and the organisations with their own window or calendar days."""
    days = dict(FollowupSettings.objects.values_list("organisation_id", "due_soon_working_days"))
    own_calendar = CalendarOverride.objects.filter(organisation__isnull=False).values("organisation_id")
    special = Organisation.objects.filter(Q(pk__in=days) | Q(pk__in=own_calendar))
    horizons = [deadlines.due_soon_until(None, today, DEFAULT.due_soon_working_days)]
    horizons += [
        deadlines.due_soon_until(org, today, days.get(org.pk, DEFAULT.due_soon_working_days))
        for org in special
    ]
    return max(horizons)


def _candidates(today: datetime.date) -> Any:
    """Open tasks that may need a reminder today; `_process` applies each organisation's rule."""
    repeat = min(
        [*FollowupSettings.objects.values_list("repeat_overdue_days", flat=True), DEFAULT.repeat_overdue_days]
    )
    not_warned = Q(reminded_before__isnull=True) | ~Q(reminded_before=F("deadline"))
    overdue_due = Q(reminded_overdue_on__isnull=True) | Q(
        reminded_overdue_on__lte=today - datetime.timedelta(days=max(repeat, 1))
    )
    return (
        Task.objects.filter(phase__in=OPEN_PHASES, deadline__lte=_horizon(today))
        .filter(Q(deadline__lt=today) & overdue_due | Q(deadline__gte=today) & not_warned)
        .select_related("organisation")
        .order_by("organisation_id", "deadline", "id")
    )


class _Recipients:
    """Who hears of an organisation's tasks: members of the lead unit, the responsible member, the
    office chiefs. Read once per organisation."""

    def __init__(self, organisation: Organisation, tasks: list[Task]) -> None:
        members = Membership.objects.filter(organisation=organisation, is_active=True).select_related("user")
        self.active = {m.user_id: m for m in members if m.user.is_active}
        self.chiefs = [uid for uid, m in self.active.items() if RoleCode.OFFICE_CHIEF in m.roles]
        unit_ids = {t.lead_unit_id for t in tasks}
        person_ids = {t.responsible_id for t in tasks if t.responsible_id}
        people = Person.objects.filter(organisation=organisation, user__isnull=False).filter(
            Q(unit__in=unit_ids) | Q(pk__in=person_ids) | Q(user__in=self.chiefs)
        )
        self.by_unit: dict[int, list[int]] = defaultdict(list)
        self.by_person: dict[int, int] = {}
        self.email: dict[int, str] = {}
        for person in people.values("pk", "unit_id", "user_id", "email", "user__email", "is_active"):
            user_id = person["user_id"]
            if user_id not in self.active:
                continue
            if person["unit_id"] in unit_ids and person["is_active"]:
                self.by_unit[person["unit_id"]].append(user_id)
            self.by_person[person["pk"]] = user_id
            address = person["email"] or person["user__email"]
            if address:
                self.email[user_id] = address
        for uid in self.chiefs:
            if uid not in self.email and self.active[uid].user.email:
                self.email[uid] = self.active[uid].user.email

    def cleared(self, user_ids: list[int], task: Task) -> list[int]:
        # Only people cleared for the task's secrecy are told about it at all.
        return [uid for uid in dict.fromkeys(user_ids) if self.active[uid].clearance >= task.secrecy]

    def for_task(self, task: Task, escalate: bool) -> tuple[list[int], list[int]]:
        unit = self.cleared(self.by_unit.get(task.lead_unit_id, []), task)
        above: list[int] = []
        if escalate:
            responsible = self.by_person.get(task.responsible_id) if task.responsible_id else None
            above = self.cleared([*([responsible] if responsible else []), *self.chiefs], task)
            above = [uid for uid in above if uid not in unit]
        return unit, above


def run(today: datetime.date | None = None, *, send_email: bool = True) -> Summary:
    """The daily job; `today` may be given (a run for a past day, tests)."""
    today = today or timezone.localdate()
    summary = Summary(occurrences=generate_occurrences(today))
    batch: list[Task] = []
    current: int | None = None
    outbox: dict[int, list[str]] = defaultdict(list)
    emails: dict[int, str] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for task in _candidates(today).iterator(chunk_size=2000):
            if current is not None and task.organisation_id != current:
                _process(batch, today, summary, outbox, emails)
                batch = []
            current = task.organisation_id
            batch.append(task)
        if batch:
            _process(batch, today, summary, outbox, emails)
        if send_email and outbox:
            summary.emails = _send(outbox, emails, today)
    return summary


def _process(
    tasks: list[Task],
    today: datetime.date,
    summary: Summary,
    outbox: dict[int, list[str]],
    emails: dict[int, str],
) -> None:
    organisation = tasks[0].organisation
    org_settings = FollowupSettings.objects.filter(organisation=organisation).first() or DEFAULT
    soon = deadlines.due_soon_until(organisation, today, org_settings.due_soon_working_days)
    repeat = datetime.timedelta(days=max(org_settings.repeat_overdue_days, 1))
    due: list[tuple[Task, str]] = []
    for task in tasks:
        assert task.deadline is not None
        if task.deadline < today:
            if task.reminded_overdue_on is None or task.reminded_overdue_on <= today - repeat:
                due.append((task, ReminderKind.OVERDUE))
        elif task.deadline <= soon and task.reminded_before != task.deadline:
            due.append((task, ReminderKind.BEFORE))
    if not due:
        return
    recipients = _Recipients(organisation, [task for task, _kind in due])
    reminders: list[Reminder] = []
    notifications: list[Notification] = []
    for task, kind in due:
        escalate = kind == ReminderKind.OVERDUE
        unit, above = recipients.for_task(task, escalate)
        if escalate:
            text = _("Overdue: %(task)s — please report on it.") % {"task": _describe(task)}
            task.reminded_overdue_on = today
            summary.overdue += 1
        else:
            text = _("Deadline approaching: %(task)s.") % {"task": _describe(task)}
            task.reminded_before = task.deadline
            summary.before += 1
        reminders.append(
            Reminder(
                organisation=organisation,
                task=task,
                kind=kind,
                sent_on=today,
                escalated=bool(above),
                recipients=[*unit, *above],
            )
        )
        for uid in [*unit, *above]:
            notifications.append(
                Notification(organisation=organisation, user_id=uid, task=task, text=text[:500])
            )
            if uid in recipients.email:
                outbox[uid].append(f"- {text}  {reverse('followup:task', args=[task.pk])}")
                emails[uid] = recipients.email[uid]
    with transaction.atomic():
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
        Notification.objects.bulk_create(notifications)
        Task.objects.bulk_update([task for task, _kind in due], ["reminded_before", "reminded_overdue_on"])
        audit.record(
            Actor.system_for(None),
            events.FOLLOWUP_REMINDERS_SENT,
            organisation=organisation,
            after={
                "date": today,
                "before": [t.pk for t, k in due if k == ReminderKind.BEFORE],
                "overdue": [t.pk for t, k in due if k == ReminderKind.OVERDUE],
            },
        )
    summary.notifications += len(notifications)


def _send(outbox: dict[int, list[str]], emails: dict[int, str], today: datetime.date) -> int:
    subject = _("Vanphong: tasks to follow up on %(date)s") % {"date": today.strftime("%d/%m/%Y")}
    messages = [
        EmailMessage(subject, "\n".join([_("Tasks that need your attention:"), "", *lines]), to=[emails[uid]])
        for uid, lines in outbox.items()
    ]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
