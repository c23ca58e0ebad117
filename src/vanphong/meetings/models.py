"""Meetings of the committee and the papers that go to them.

- A `Submission` is a unit's paper for a body (tờ trình, đề án, dự thảo...), appraised by the office
  (thẩm định) and scheduled onto a meeting's agenda; each revision is a `SubmissionVersion` with its
  files (`Paper`).
- A `Meeting` of a body (BCH, BTV, Thường trực) or of another kind has agenda items, invitees with
  their attendance, votes per item, minutes and conclusions.
- The weekly work schedule of the leadership (`WeeklySchedule`, `ScheduleEntry`) is drafted by the
  office, approved and published; changes after publication are marked.
- `MeetingRule` holds an organisation's working-regulation figures (quorum, paper deadlines): they
  are common practice, not national law (FACTS §6: OPEN), so they are data.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Clearance, OrgScoped, StoredFileRecord
from vanphong.org.models import Body, BodyKind, Person, Unit


class MeetingKind(models.TextChoices):
    EXECUTIVE = "bch", _("Executive Committee conference (BCH)")
    STANDING = "btv", _("Standing Committee meeting (BTV)")
    STANDING_BOARD = "tt", _("Standing Board meeting (Thường trực)")
    GRASSROOTS = "grassroots", _("Working session at grassroots")
    THEMATIC = "thematic", _("Thematic session")
    CONFERENCE = "conference", _("Conference")
    WORKING = "working", _("Working session")
    OTHER = "other", _("Other")


# The meeting kinds that are sessions of a collective body, and that body's kind.
BODY_KINDS = {
    MeetingKind.EXECUTIVE: BodyKind.EXECUTIVE,
    MeetingKind.STANDING: BodyKind.STANDING,
    MeetingKind.STANDING_BOARD: BodyKind.STANDING_BOARD,
}


class MeetingRule(OrgScoped):
    """An organisation's working-regulation figures for the sessions of one body kind.

    Party Charter art. 9.5 fixes the voting majority (more than half of all members); quorum,
    cadence and paper deadlines come from each committee's working regulation (e.g. QĐ 302-QĐ/TW
    for communes), so they are kept here with their source.
    """

    body_kind = models.CharField(_("body"), max_length=10, choices=BodyKind.choices)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    papers_days = models.PositiveSmallIntegerField(
        _("papers due (working days before the meeting)"), default=3
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("meeting rule")
        verbose_name_plural = _("meeting rules")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "body_kind"], name="meeting_rule_unique"),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="meeting_rule_quorum_fraction",
                violation_error_message=_("The quorum is a fraction of the members: at most 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_kind_display()}: {self.quorum_numerator}/{self.quorum_denominator}"

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)


class SubmissionKind(models.TextChoices):
    PROPOSAL = "to_trinh", _("Proposal (tờ trình)")
    SCHEME = "de_an", _("Scheme (đề án)")
    DRAFT_RESOLUTION = "du_thao_nq", _("Draft resolution")
    DRAFT_CONCLUSION = "du_thao_kl", _("Draft conclusion")
    DRAFT_DIRECTIVE = "du_thao_ct", _("Draft directive")
    DRAFT_REPORT = "du_thao_bc", _("Draft report")
    OTHER = "other", _("Other paper")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("status", "Submitted")
    UNDER_APPRAISAL = "appraisal", pgettext_lazy("status", "Under appraisal")
    RETURNED = "returned", pgettext_lazy("status", "Returned for revision")
    READY = "ready", pgettext_lazy("status", "Ready to present")
    DECLINED = "declined", pgettext_lazy("status", "Not in the body's competence")
    SCHEDULED = "scheduled", pgettext_lazy("status", "On an agenda")
    DECIDED = "decided", pgettext_lazy("status", "Decided")
    WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")


class Recommendation(models.TextChoices):
    READY = "ready", _("Ready to present")
    REVISE = "revise", _("Needs revision")
    NOT_COMPETENT = "not_competent", _("Not in the body's competence")


class Submission(OrgScoped):
    """A paper a unit submits for a body to decide, with its appraisal by the office."""

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=SubmissionKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("submitting unit")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("submitted to")
    )
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Clearance.choices, default=Clearance.NONE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("appraiser"),
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=15, choices=Recommendation.choices, blank=True
    )
    appraisal = models.TextField(_("appraisal"), blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> SubmissionVersion | None:
        # From the prefetched versions where a page loaded them (selectors.agenda).
        return max(self.versions.all(), key=lambda version: version.number, default=None)


class SubmissionVersion(OrgScoped):
    """One revision of a submission: the papers as submitted that time (earlier ones are kept)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="submission_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission} (v{self.number})"


class Paper(OrgScoped, StoredFileRecord):
    """A file of a submission version (encrypted when the submission is secret)."""

    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="papers")

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class Opinion(OrgScoped):
    """A unit's opinion on a submission, asked for by the appraiser."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    due = models.DateField(_("due"))
    text = models.TextField(_("opinion"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "unit"], name="opinion_unique_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.submission}"


class MeetingStatus(models.TextChoices):
    """A meeting's life (meetings.workflow.MEETINGS): planned, then in session from its start time,
    then held; or postponed to a new time (and planned again), or cancelled."""

    PLANNED = "planned", pgettext_lazy("status", "Planned")
    IN_SESSION = "in_session", pgettext_lazy("status", "In session")
    HELD = "held", pgettext_lazy("status", "Held")
    POSTPONED = "postponed", pgettext_lazy("status", "Postponed")
    CANCELLED = "cancelled", pgettext_lazy("status", "Cancelled")


class Meeting(OrgScoped):
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    extraordinary = models.BooleanField(_("extraordinary"), default=False)
    title = models.CharField(_("title"), max_length=500)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Why it was last postponed or cancelled.
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    papers_withdrawn = models.BooleanField(_("papers withdrawn"), default=False)
    # Documents made for the meeting through the văn thư: the invitation and the conclusion notice.
    invitation = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notice = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_document = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The follow-up source its task conclusions are tracked under (created with the first one).
    followup_source = models.ForeignKey(
        "followup.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def has_started(self) -> bool:
        """The session is opened (and what happens at it recorded) from the start time on."""
        return self.starts_at <= timezone.now()


class AgendaItem(OrgScoped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_item"
    )
    presenter = models.CharField(_("presented by"), max_length=255, blank=True)
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Clearance.choices, default=Clearance.NONE
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique")]

    def __str__(self) -> str:
        return self.title


class Attendance(models.TextChoices):
    UNKNOWN = "", _("not recorded")
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")


class Invitee(OrgScoped):
    """A person invited to a meeting: a person of the organisation, or a guest from outside."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    guest_name = models.CharField(_("guest name"), max_length=200, blank=True)
    guest_title = models.CharField(_("guest's position and body"), max_length=255, blank=True)
    is_member = models.BooleanField(_("member of the body"), default=False)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    class Meta:
        ordering = ["-is_member", "pk"]  # members in protocol order (services.body_members), then guests
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitee_unique_person"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""), name="invitee_person_or_guest"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.guest_name


class Ballot(models.TextChoices):
    OPEN = "open", _("open vote (show of hands)")
    SECRET = "secret", _("secret ballot")


def has_quorum(members: int, present: int, required: int) -> bool:
    """Whether a body's meeting has its quorum: at least `required` of its members present, the
    number its working regulation requires (`MeetingRule`; FACTS §6: OPEN, so it is data)."""
    return members > 0 and present >= required


class Vote(OrgScoped):
    """The totals of a vote on an agenda item, with the quorum as it stood when the vote was taken.

    A meeting without its quorum decides nothing (the working regulation's quorum, `MeetingRule`);
    with it, a decision passes only with more than half of ALL members of the body in favour, not
    of those present (Party Charter art. 9.5)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    question = models.CharField(_("question"), max_length=500)
    ballot = models.CharField(_("ballot"), max_length=10, choices=Ballot.choices, default=Ballot.OPEN)
    members = models.PositiveSmallIntegerField(_("members of the body"))
    present = models.PositiveSmallIntegerField(_("members present"))
    quorum_required = models.PositiveSmallIntegerField(_("members needed for a quorum"))
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"))
    abstentions = models.PositiveSmallIntegerField(_("abstain"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def quorum_met(self) -> bool:
        return has_quorum(self.members, self.present, self.quorum_required)

    @property
    def passed(self) -> bool:
        """Without a quorum nothing passes; with it, more than half of all members in favour."""
        return self.quorum_met and self.votes_for * 2 > self.members

    @property
    def needed(self) -> int:
        return self.members // 2 + 1


class ConclusionKind(models.TextChoices):
    # The way OpenProject models meeting outcomes: information, decision or task.
    INFORMATION = "information", _("information")
    DECISION = "decision", _("decision")
    TASK = "task", _("task")


class Conclusion(OrgScoped):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conclusions")
    kind = models.CharField(_("kind"), max_length=12, choices=ConclusionKind.choices)
    text = models.TextField(_("conclusion"))
    lead_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit")
    )
    responsible = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible committee member"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The tracked task a task conclusion became (follow-up module).
    task = models.ForeignKey(
        "followup.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_conclusions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("status", "Draft")
    APPROVED = "approved", pgettext_lazy("status", "Approved")
    PUBLISHED = "published", pgettext_lazy("status", "Published")


class WeeklySchedule(OrgScoped):
    """The leadership's weekly work schedule (lịch công tác tuần), from Monday."""

    week_start = models.DateField(_("week from"))
    status = models.CharField(
        _("status"), max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly schedule")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "week_start"], name="weekly_schedule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%d/%m/%Y}"


class ScheduleEntry(OrgScoped):
    schedule = models.ForeignKey(WeeklySchedule, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField(_("day"))
    start = models.TimeField(_("time"))
    end = models.TimeField(_("until"), null=True, blank=True)
    leaders = models.CharField(_("who"), max_length=255)
    content = models.CharField(_("what"), max_length=500)
    place = models.CharField(_("where"), max_length=255)
    preparer = models.CharField(_("prepared by"), max_length=255, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # Set when the entry is added or changed after the schedule was published.
    changed_after_publication = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m} {self.start:%H:%M} {self.content}"


class CalendarFeed(models.Model):
    """A user's personal iCalendar feed for one organisation: a secret token (stored hashed) in the
    URL, revocable; the feed shows what the user may see there and nothing else."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.membership)
