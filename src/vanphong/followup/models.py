"""Follow-up of tasks (theo dõi, đôn đốc): sources, tasks, progress reports, extensions, reminders.

Model: Quy chế 08-QC/TW (5/11/2025) — every task is tracked with its assigning document, assignee,
progress, results, products and evaluation (docs/followup.md).

A task's status is never typed by anyone: it is derived from its deadline, completion date, progress,
extension and cancellation. Services keep two derived columns so that the status can be computed in
SQL over an index: `phase` (the part of the status that does not depend on today's date) and
`deadline`/`done_on`. `selectors.status_expression(today)` turns them into the status.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Clearance, OrgScoped, StoredFileRecord
from vanphong.org.models import Person, Term, Unit


class SourceKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")
    CONCLUSION = "conclusion", _("Conclusion")
    PLAN = "plan", _("Plan")
    ACTION_PROGRAMME = "action_programme", _("Action programme")
    INCOMING = "incoming", _("Incoming document requiring action")
    MEETING_CONCLUSION = "meeting_conclusion", _("Meeting conclusion")
    WORK_PROGRAMME = "work_programme", _("Work programme")


class Source(OrgScoped):
    """What assigned the tasks: a document, a meeting's conclusion or the committee's work programme."""

    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    title = models.CharField(_("title"), max_length=500)
    reference = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("For a work programme: the year it covers.")
    )
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("term")
    )
    secrecy = models.PositiveSmallIntegerField(_("secrecy"), choices=Clearance.choices, default=0)
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("outgoing document"),
    )
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incoming document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source of tasks")
        verbose_name_plural = _("sources of tasks")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["organisation", "kind", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip() if self.reference else self.title


class Recurrence(models.TextChoices):
    NONE = "", _("Does not repeat")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    YEARLY = "yearly", _("Every year")


class Phase(models.TextChoices):
    """The date-independent part of a task's status, kept by the services (never typed)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    EXTENDED = "extended", _("Extended")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    CANCELLED = "cancelled", _("Cancelled")
    SERIES = "series", _("Recurring (generates its occurrences)")


OPEN_PHASES = (Phase.NOT_STARTED, Phase.IN_PROGRESS, Phase.EXTENDED)
CLOSED_PHASES = (Phase.DONE_ON_TIME, Phase.DONE_LATE, Phase.CANCELLED)


class Status(models.TextChoices):
    """What users see: the phase, with overdue and due soon worked out from today's date."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    EXTENDED = "extended", _("Extended")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    CANCELLED = "cancelled", _("Cancelled")


class Evaluation(models.TextChoices):
    # The four grades used when Party bodies assess how an assigned task was carried out.
    EXCELLENT = "excellent", _("Completed excellently")
    GOOD = "good", _("Completed well")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class Task(OrgScoped):
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("source")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
        verbose_name=_("parent task"),
    )
    series = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
        verbose_name=_("recurring task"),
    )
    content = models.TextField(_("content"))
    expected_product = models.CharField(_("expected product"), max_length=500, blank=True)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit")
    )
    support_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("supporting units")
    )
    responsible = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible committee member"),
    )
    secrecy = models.PositiveSmallIntegerField(_("secrecy"), choices=Clearance.choices, default=0)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), default=100, help_text=_("Share of the parent task's progress.")
    )
    assigned_on = models.DateField(_("assigned on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("working days allowed"), null=True, blank=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    recurrence = models.CharField(
        _("repeats"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    # A work programme's items are placed in a quarter or a month of the programme's year.
    period_quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    period_month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    # Derived, kept by the services:
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.NOT_STARTED, editable=False)
    done_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True, editable=False)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    evaluation = models.CharField(_("evaluation"), max_length=15, choices=Evaluation.choices, blank=True)
    evaluation_note = models.TextField(_("evaluation note"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the daily reminder job has done, so that it selects only what is due today.
    reminded_before = models.DateField(null=True, blank=True, editable=False)  # the deadline warned of
    reminded_overdue_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        indexes = [
            # Dashboard counts and the overdue list: status is computed from these columns alone.
            models.Index(fields=["organisation", "phase", "deadline", "secrecy"], name="fu_task_org_status"),
            # Per lead unit and per responsible member: one unit's or member's dashboard, and the
            # organisation's figures grouped by unit or member, read from the index alone.
            models.Index(
                fields=["organisation", "lead_unit", "phase", "deadline", "secrecy"],
                name="fu_task_unit_status",
            ),
            models.Index(
                fields=["organisation", "responsible", "phase", "deadline", "secrecy"],
                name="fu_task_person_status",
            ),
            models.Index(fields=["source", "phase", "deadline"], name="fu_task_source_status"),
            # The reminder job, across organisations: open tasks by deadline.
            models.Index(fields=["phase", "deadline"], name="fu_task_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="fu_task_progress_max_100"),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("assigned_on")),
                name="fu_task_deadline_after_assignment",
            ),
            models.UniqueConstraint(
                fields=["series", "deadline"],
                condition=Q(series__isnull=False),
                name="fu_task_one_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return self.content if len(self.content) <= 80 else self.content[:79] + "…"

    @property
    def is_closed(self) -> bool:
        return self.phase in CLOSED_PHASES


class ReportState(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ProgressReport(OrgScoped):
    """A report by the lead unit: what was done, how far (percent), with the products attached."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task"))
    text = models.TextField(_("report"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    reported_on = models.DateField(_("date"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("office's note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="fu_report_percent_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}%"


class ReportFile(OrgScoped, StoredFileRecord):
    """A product attached to a report (document, photo, scan), stored by core.files."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("product file")
        verbose_name_plural = _("product files")

    def __str__(self) -> str:
        return self.original_name


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(OrgScoped):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("task")
    )
    reason = models.TextField(_("reason"))
    requested_deadline = models.DateField(_("requested deadline"))
    previous_deadline = models.DateField(_("deadline before"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.requested_deadline}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue")


class Reminder(OrgScoped):
    """One urging of one task on one day, with whom it reached (kept as the record of urging)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("date"))
    escalated = models.BooleanField(_("escalated"), default=False)
    recipients = models.JSONField(_("recipients"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "sent_on"], name="fu_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.sent_on}"


class Notification(OrgScoped):
    """A message in the app for one user (the bell in the top bar)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "organisation", "read_at"])]

    def __str__(self) -> str:
        return self.text


class TaskTally(models.Model):
    """How many tasks an organisation has per month of deadline, phase and Tuyệt mật or not.

    Derived, kept by the services with every change of a task's phase, deadline or secrecy
    (`workflow.tally`), and rebuilt by `workflow.recount`: the roll-up of a province's communes
    reads these few rows instead of their million tasks (selectors.rollup).
    """

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(null=True, blank=True)  # first day of the deadline's month
    phase = models.CharField(max_length=12, choices=Phase.choices)
    restricted = models.BooleanField(default=False)  # Tuyệt mật: counted apart, never classified
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("task count")
        verbose_name_plural = _("task counts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "phase", "restricted"], name="fu_tally_one_row"
            )
        ]
        # The roll-up sums counts per organisation and phase from the index alone.
        indexes = [
            models.Index(
                fields=["organisation", "phase", "restricted", "month", "count"], name="fu_tally_sum"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month} {self.phase}: {self.count}"


class FollowupSettings(models.Model):
    """How an organisation's office urges: kept as data, not constants (the numbers are practice)."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="followup_settings"
    )
    due_soon_working_days = models.PositiveSmallIntegerField(_("due soon within (working days)"), default=3)
    repeat_overdue_days = models.PositiveSmallIntegerField(
        _("repeat overdue reminders every (days)"), default=7
    )

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")

    def __str__(self) -> str:
        return str(self.organisation)
