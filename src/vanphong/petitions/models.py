"""Tiếp công dân, đơn thư: reception sessions, visits, petitions, their deadlines and handling.

Petitions are registered apart from the ordinary incoming documents (QĐ 693-QĐ/VPTW, FACTS §2): they
have their own register and numbers and never enter the documents' registers or the search index.
The identity and contact of citizens are sealed (encrypted at rest, `core.sealing`); a denouncer's
are shown only to the petition's named handlers and the office chief (`petitions.permissions`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Organisation, OrganisationLevel, OrgScoped
from vanphong.org.models import Person


class PetitionKind(models.TextChoices):
    # Law on Citizen Reception 42/2013/QH13: the four kinds. A mixed letter is classified by its
    # dominant content (or split into several petitions).
    COMPLAINT = "complaint", _("Complaint (khiếu nại)")
    DENUNCIATION = "denunciation", _("Denunciation (tố cáo)")
    PROPOSAL = "proposal", _("Proposal (kiến nghị)")
    REPORT = "report", _("Report (phản ánh)")


class Subject(models.TextChoices):
    LAND = "land", _("Land, housing, compensation")
    CADRES = "cadres", _("Conduct of cadres and Party members")
    POLICY = "policy", _("Policies and benefits")
    ADMINISTRATION = "administration", _("Administrative decisions and procedures")
    JUSTICE = "justice", _("Justice and judgments")
    ECONOMY = "economy", _("Economy, finance, business")
    SOCIETY = "society", _("Social order, environment")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    VISIT = "visit", _("At a reception visit")
    POST = "post", _("By post")
    EMAIL = "email", _("By e-mail")
    TRANSFERRED = "transferred", _("Transferred by another body")


class SenderKind(models.TextChoices):
    PERSON = "person", _("A citizen (or a group of citizens)")
    BODY = "body", _("A body or organisation")
    ANONYMOUS = "anonymous", _("Anonymous (no name or address)")


class Competence(models.TextChoices):
    OWN = "own", _("Within this committee's competence")
    STATE = "state", _("A state body")
    INSPECTION = "inspection", _("The Inspection Committee (against Party members or organisations)")
    PARTY = "party", _("Another Party body")
    OTHER = "other", _("Another body")


class Instance(models.TextChoices):
    FIRST = "first", _("First instance")
    SECOND = "second", _("Second instance")


class State(models.TextChoices):
    # The workflow's states; the allowed transitions between them are data in petitions.workflow.
    RECEIVED = "received", _("Received, to be classified")
    TRANSFERRED = "transferred", _("Transferred or guided (closed)")
    FILED = "filed", _("Not accepted, filed (closed)")
    ACCEPTED = "accepted", _("Accepted (thụ lý)")
    VERIFYING = "verifying", _("Being verified")
    CONCLUDED = "concluded", _("Concluded")
    ANSWERED = "answered", _("Answered (closed)")


OPEN_STATES = (State.RECEIVED, State.ACCEPTED, State.VERIFYING, State.CONCLUDED)
CLOSED_STATES = (State.TRANSFERRED, State.FILED, State.ANSWERED)


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class Stage(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance (thụ lý)")
    RESOLUTION = "resolution", _("Resolution of the case")


class DeadlineRule(models.Model):
    """A statutory period, versioned: the row in force on the day the period starts applies.

    Shipped from `petitions/data/rules.json`; a new regulation is a new row with its effective date.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PetitionKind.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    instance = models.CharField(_("instance"), max_length=10, choices=Instance.choices, blank=True)
    days = models.PositiveSmallIntegerField(_("days"))
    days_complex = models.PositiveSmallIntegerField(_("days if complex"), null=True, blank=True)
    days_remote = models.PositiveSmallIntegerField(_("days in a remote area"), null=True, blank=True)
    days_remote_complex = models.PositiveSmallIntegerField(
        _("days in a remote area if complex"), null=True, blank=True
    )
    day_count = models.CharField(_("days counted"), max_length=10, choices=DayCount.choices)
    # FACTS marks some readings of calendar or working days OPEN: the rule gives its reading, and
    # an organisation may choose another one for all such rules (PetitionSettings.open_day_count).
    day_count_open = models.BooleanField(
        _("reading not confirmed"),
        default=False,
        help_text=_("The organisation's petition settings may count these days otherwise."),
    )
    extension_days = models.PositiveSmallIntegerField(
        _("days per extension (at most)"), null=True, blank=True
    )
    max_extensions_complex = models.PositiveSmallIntegerField(_("extensions if complex"), default=0)
    max_extensions_especially_complex = models.PositiveSmallIntegerField(
        _("extensions if especially complex"), default=0
    )
    effective_from = models.DateField(_("in force from"))
    regulation = models.CharField(_("regulation"), max_length=200)
    article = models.CharField(_("article"), max_length=100)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind", "stage", "instance", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "stage", "instance", "effective_from"], name="deadline_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_stage_display()} · {self.source}"

    @property
    def source(self) -> str:
        return f"{self.regulation}, {self.article}"

    def days_for(self, *, complex_case: bool, remote: bool) -> int:
        if remote and complex_case and self.days_remote_complex:
            return self.days_remote_complex
        if remote and self.days_remote:
            return self.days_remote
        if complex_case and self.days_complex:
            return self.days_complex
        return self.days


class ReceptionMinimum(models.Model):
    """How many days a month the committee head must receive citizens, per level (versioned)."""

    level = models.CharField(_("level"), max_length=20, choices=OrganisationLevel.choices)
    days_per_month = models.PositiveSmallIntegerField(_("days per month"))
    effective_from = models.DateField(_("in force from"))
    regulation = models.CharField(_("regulation"), max_length=200)
    article = models.CharField(_("article"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("reception minimum")
        verbose_name_plural = _("reception minimums")
        ordering = ["level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "effective_from"], name="reception_minimum_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.days_per_month} · {self.regulation}"

    @property
    def source(self) -> str:
        return f"{self.regulation}, {self.article}" if self.article else self.regulation


class PetitionSettings(models.Model):
    """Per-organisation choices where FACTS leaves the reading open (docs/petitions.md)."""

    organisation = models.OneToOneField(
        Organisation, primary_key=True, on_delete=models.CASCADE, related_name="petition_settings"
    )
    open_day_count = models.CharField(
        _("how to count days where the regulation's reading is not confirmed"),
        max_length=10,
        blank=True,
        choices=[
            ("", _("As each rule reads")),
            (DayCount.CALENDAR, DayCount.CALENDAR.label),
            (DayCount.WORKING, DayCount.WORKING.label),
        ],
        # Each rule's own reading (DeadlineRule.day_count): calendar days for accepting a complaint
        # (the stricter reading), working days for the intake of a denunciation (Luật Tố cáo 2018,
        # Điều 24(1)). A choice here applies to every rule whose reading is not confirmed.
        default="",
    )
    move_off_day_deadlines = models.BooleanField(
        _("a calendar-day deadline falling on a day off moves to the next working day"),
        # Civil Code 2015 art. 148(5) would allow it; off by default, the stricter reading.
        default=False,
    )

    class Meta:
        verbose_name = _("petition settings")
        verbose_name_plural = _("petition settings")

    def __str__(self) -> str:
        return str(self.organisation)


class SessionKind(models.TextChoices):
    # QĐ 11-QĐi/TW: regular sessions of the head, and extra ones for complex or crowded cases.
    REGULAR = "regular", _("Regular session")
    EXTRA = "extra", _("Extra session")


class ReceptionSession(OrgScoped):
    """A day on which a leader of the committee received citizens."""

    held_on = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    led_by_head = models.BooleanField(
        _("received by the committee head in person"),
        default=True,
        help_text=_("Only these sessions count towards the head's monthly minimum."),
    )
    place = models.CharField(_("location"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} · {self.get_kind_display()}"


class Visit(OrgScoped):
    """One reception of a citizen or a delegation (lượt tiếp), in a session or at the office."""

    session = models.ForeignKey(
        ReceptionSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("session"),
    )
    visited_on = models.DateField(_("date"))
    content_kind = models.CharField(_("kind of content"), max_length=20, choices=PetitionKind.choices)
    delegation_size = models.PositiveSmallIntegerField(
        _("number of people"), default=1, help_text=_("More than one: a delegation (đoàn đông người).")
    )
    # Sealed JSON (core.sealing): name, id_number, address, phone, email, representatives.
    citizens_sealed = models.TextField(editable=False)
    content = models.TextField(_("content"))
    documents_handed_in = models.TextField(_("documents handed in"), blank=True)
    answer = models.TextField(_("the receiving leader's answer or instruction"), blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["organisation", "visited_on"])]

    def __str__(self) -> str:
        # Never the citizen's name: this text goes into the audit log.
        return f"{self.visited_on:%d/%m/%Y} · {self.get_content_kind_display()}"

    @property
    def is_delegation(self) -> bool:
        return self.delegation_size > 1


class Petition(OrgScoped):
    """Đơn thư: one letter (or the petition made at a visit), from receipt to its outcome."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("received"), max_length=20, choices=Channel.choices)
    transferred_from = models.CharField(_("transferred by"), max_length=255, blank=True)
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("visit"),
    )
    sender_kind = models.CharField(_("sender"), max_length=20, choices=SenderKind.choices)
    sender_body = models.CharField(_("sending body"), max_length=255, blank=True)
    delegation_size = models.PositiveSmallIntegerField(_("number of signatories"), default=1)
    # Sealed JSON (core.sealing): name, id_number, address, phone, email, representatives.
    sender_sealed = models.TextField(editable=False, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PetitionKind.choices)
    subject = models.CharField(_("subject area"), max_length=20, choices=Subject.choices)
    summary = models.TextField(_("content"))
    concerns = models.CharField(_("person or body complained about"), max_length=255, blank=True)
    competence = models.CharField(_("competence"), max_length=20, choices=Competence.choices)
    competent_body = models.CharField(_("competent body"), max_length=255, blank=True)
    instance = models.CharField(_("instance"), max_length=10, choices=Instance.choices, blank=True)
    is_complex = models.BooleanField(_("complex"), default=False)
    is_especially_complex = models.BooleanField(_("especially complex"), default=False)
    remote_area = models.BooleanField(_("remote, hard-to-reach area"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    acceptance_rule = models.ForeignKey(
        DeadlineRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acceptance_deadline = models.DateField(_("acceptance deadline"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    resolution_rule = models.ForeignKey(
        DeadlineRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_deadline = models.DateField(_("resolution deadline"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    closed_reason = models.TextField(_("reason"), blank=True)
    transfer_letter = models.ForeignKey(
        "documents.OutgoingDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transfer or guidance letter"),
    )
    similar_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="similar",
        verbose_name=_("same person or matter as"),
    )
    similarity = models.PositiveSmallIntegerField(null=True, blank=True)
    is_repeat = models.BooleanField(_("repeats a matter already answered"), default=False)
    search_text = models.TextField(editable=False, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "number"], name="petition_number_unique")
        ]
        indexes = [
            models.Index(fields=["organisation", "year", "-number"]),
            models.Index(fields=["organisation", "state", "resolution_deadline"]),
            models.Index(fields=["organisation", "received_on"]),
        ]

    def __str__(self) -> str:
        # Never the sender's name: this text goes into the audit log.
        return f"{self.number}/{self.year} · {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def accepted_late(self) -> bool:
        return bool(
            self.accepted_on and self.acceptance_deadline and self.accepted_on > self.acceptance_deadline
        )

    @property
    def resolved_late(self) -> bool:
        return bool(
            self.answered_on and self.resolution_deadline and self.answered_on > self.resolution_deadline
        )


class HandlerRole(models.TextChoices):
    INTAKE = "intake", _("Intake")
    LEAD = "lead", _("Lead handler")
    SUPPORT = "support", _("Support")


class PetitionHandler(OrgScoped):
    """A person named to handle a petition; with the office chief, the only ones who see a denouncer."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=HandlerRole.choices)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "user"], name="petition_handler_unique")]
        ordering = ["named_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class Extension(OrgScoped):
    """A written decision extending the resolution period (Law on Denunciations 2018 art. 30)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extensions")
    decision_reference = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    previous_deadline = models.DateField()
    new_deadline = models.DateField(_("new deadline"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision_reference} (+{self.days})"


class Step(OrgScoped):
    """One transition of a petition's workflow, for its history (the audit log has the details)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"
