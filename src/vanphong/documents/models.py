"""Văn thư: document types, incoming and outgoing registers, routing, handling, attachments, numbering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Clearance, Organisation, OrgScoped, StoredFileRecord
from vanphong.core.text import fold
from vanphong.org.models import Person, Term, Unit


class DocumentGroup(models.TextChoices):
    # QĐ 399-QĐ/TW (2026): Party documents proper, and administrative papers.
    PARTY = "party", _("Party document")
    ADMINISTRATIVE = "administrative", _("Administrative paper")


class DocumentType(models.Model):
    """A kind of document and its symbol (NQ, QĐ, CV ...). One editable table for the deployment."""

    symbol = models.CharField(_("symbol"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(
        _("printed title"),
        max_length=100,
        blank=True,
        help_text=_("Type name printed above the summary, e.g. NGHỊ QUYẾT; empty for a công văn."),
    )
    group = models.CharField(
        _("group"), max_length=20, choices=DocumentGroup.choices, default=DocumentGroup.PARTY
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.symbol})"


class NumberingScheme(models.TextChoices):
    # HD 36-HD/VPTW: one sequence per document type for the whole term, secret documents included.
    PARTY = "party", _("Party rule: one sequence per type per term")
    # ND 30/2020/NĐ-CP art. 15: one sequence per calendar year, secret documents in their own.
    STATE = "state", _("State rule: one sequence per year, secret documents separate")


class NumberingRule(OrgScoped):
    """The numbering rule an organisation follows from a day on: versioned data. The rule in force on a
    day is the latest row from that day or before; with none, the Party rule (HD 36-HD/VPTW). Rows are
    added only for a boundary ahead and never changed (`numbering.change_numbering_rule`), so the rule that
    numbered a document never changes after it, and two rules never number in one year or one term."""

    scheme = models.CharField(_("numbering"), max_length=10, choices=NumberingScheme.choices)
    effective_from = models.DateField(_("in force from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")
        ordering = ["organisation", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "effective_from"], name="numbering_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} ({self.effective_from:%d/%m/%Y})"


class DocumentSettings(models.Model):
    """Per-organisation settings of the clerk's office (the numbering rule is `NumberingRule`)."""

    organisation = models.OneToOneField(
        Organisation, primary_key=True, on_delete=models.CASCADE, related_name="document_settings"
    )
    due_soon_working_days = models.PositiveSmallIntegerField(_("due soon within (working days)"), default=2)
    default_handling_days = models.PositiveSmallIntegerField(
        _("default handling time (working days)"), default=10
    )

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(self.organisation)


# ND 30/2020/NĐ-CP art. 15: under the State rule secret documents are numbered in a register of their
# own; the keys of those sequences end so (documents.numbering).
SECRET_REGISTER_SUFFIX = ":secret"


class NumberSequence(OrgScoped):
    """The last number of one sequence; locked while a number is taken, so none repeats or is skipped."""

    key = models.CharField(max_length=100)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.last_number}"


class Urgency(models.IntegerChoices):
    # Độ khẩn (ND 30/2020 art. 8; Party documents likewise): Khẩn < Thượng khẩn < Hỏa tốc.
    NORMAL = 0, _("Normal")
    KHAN = 1, _("Urgent (Khẩn)")
    THUONG_KHAN = 2, _("Very urgent (Thượng khẩn)")
    HOA_TOC = 3, _("Immediate (Hỏa tốc)")


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ROUTED = "routed", _("Routed for handling")
    HANDLED = "handled", _("Handled")
    CANCELLED = "cancelled", _("Cancelled")


class Document(OrgScoped):
    """What incoming and outgoing documents share."""

    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("type"), related_name="+"
    )
    summary = models.TextField(_("summary (trích yếu)"))
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Clearance.choices, default=Clearance.NONE
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def type_and_summary(self) -> str:
        """“Công văn: V/v …”, without repeating the type when the summary already starts with it."""
        name = self.doc_type.name
        if fold(self.summary).startswith(fold(name)):
            return self.summary
        return f"{name}: {self.summary}"


class IncomingDocument(Document):
    arrival_year = models.PositiveSmallIntegerField(_("year"))
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    arrived_at = models.DateTimeField(_("arrival date and time"))
    sender_name = models.CharField(_("sender"), max_length=255)
    sender_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sender on this deployment"),
    )
    sender_reference = models.CharField(_("sender's number and symbol"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    reply = models.ForeignKey(
        "OutgoingDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replied_incoming",
        verbose_name=_("reply document"),
    )
    source_outgoing = models.ForeignKey(
        "OutgoingDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("issued by"),
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("corrects the registration"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-arrival_year", "-arrival_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "arrival_year", "arrival_number"], name="incoming_number_unique"
            )
        ]
        indexes = [
            # `secrecy` last: the access filter (secrecy <= clearance) is then answered from the index,
            # so counting a year of a large register needs no table reads (bench/registers.py).
            models.Index(fields=["organisation", "arrival_year", "status", "-arrival_number", "secrecy"]),
            models.Index(fields=["organisation", "status", "-arrival_year", "-arrival_number", "secrecy"]),
            models.Index(fields=["organisation", "-arrived_at"]),
            models.Index(fields=["organisation", "status", "deadline"]),
            models.Index(fields=["organisation", "sender_reference", "document_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_number}/{self.arrival_year} – {self.summary[:80]}"


class Routing(OrgScoped):
    """Phiếu giải quyết: the leader's instruction on an incoming document. The latest one is current."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="routings")
    instruction = models.TextField(_("instruction"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-routed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.instruction[:60]}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORT = "support", _("Support")
    INFORM = "inform", _("For information")


class Assignment(OrgScoped):
    """One unit or person named on a routing note, with the part they play."""

    routing = models.ForeignKey(Routing, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(user__isnull=False), name="assignment_has_unit_or_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.user or self.unit}"


class NoteKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    DRAFT = "draft", _("Draft reply")
    HANDLED = "handled", _("Marked handled")


class HandlingNote(OrgScoped):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices, default=NoteKind.COMMENT)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting issue")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


class SigningAuthority(models.TextChoices):
    # HD 36-HD/VPTW: collective bodies sign "T/M"; a deputy signing for the head "K/T"; "T/L", "T/UQ".
    OWN = "", _("In own name")
    TM = "T/M", _("T/M (on behalf of the collective body)")
    KT = "K/T", _("K/T (deputy signing for the head)")
    TL = "T/L", _("T/L (by order of)")
    TUQ = "T/UQ", _("T/UQ (by authorisation)")


class OutgoingDocument(Document):
    body = models.TextField(_("text of the document"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    signer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    signing_authority = models.CharField(
        _("signing authority"), max_length=5, choices=SigningAuthority.choices, blank=True
    )
    signing_body = models.CharField(
        _("on behalf of"), max_length=100, blank=True, help_text=_("e.g. BAN THƯỜNG VỤ, after T/M")
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=100, blank=True, help_text=_("e.g. BÍ THƯ")
    )
    addressees = models.TextField(
        _("addressed to (Kính gửi)"),
        blank=True,
        help_text=_("Whom a letter (công văn) is addressed to, one per line, as printed after “Kính gửi:”."),
    )
    external_recipients = models.TextField(
        _("other recipients"), blank=True, help_text=_("One per line, as printed under “Nơi nhận”.")
    )
    # Why it was last returned to draft (the history keeps every return and its reason).
    returned_reason = models.CharField(_("reason for returning"), max_length=255, blank=True)
    keeping_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("file copy kept by"),
    )
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("term")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_key = models.CharField(max_length=100, blank=True, editable=False)
    reference = models.CharField(_("number and symbol"), max_length=100, blank=True, editable=False)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    # The year of the outgoing register the number is entered in (ND 30/2020 appendix IV: one per year).
    issue_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Set only by migration 0007 on numbers that had been given twice before they could not be.
    repeats_number_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("repeats the number of"),
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    reply_to = models.ForeignKey(
        IncomingDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("corrects"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-issued_on", "-number", "-id"]
        constraints = [
            # A number once in its sequence.
            models.UniqueConstraint(
                fields=["organisation", "number_key", "number"],
                condition=Q(number__isnull=False),
                name="outgoing_number_unique",
            ),
            # A number once in its register, whatever sequence the rule of the day put it in: within one
            # year's register and one term, a type's number appears once. Both rules keep this (HD 36-HD/
            # VPTW: per type through the term, secret documents included; ND 30/2020 art. 15: per year,
            # across types), and as a rule changes only where a year or a term begins, two rules never
            # share a year and a term; a switch mid-year, which gave 01-NQ/TU twice in one register, is
            # refused by the database itself. The State rule's secret register is its own sequence.
            models.UniqueConstraint(
                fields=["organisation", "issue_year", "term", "doc_type", "number"],
                condition=Q(number__isnull=False, repeats_number_of__isnull=True)
                & ~Q(number_key__endswith=SECRET_REGISTER_SUFFIX),
                name="outgoing_number_once_in_its_register",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(issue_year__isnull=False),
                name="outgoing_number_has_its_register_year",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-issued_on"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference or '—'} {self.summary[:80]}"


class OutgoingRecipient(models.Model):
    """An organisation on this deployment that receives an issued document in its incoming register."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="internal_recipients"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    delivered = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "organisation"], name="outgoing_recipient_unique")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class TextSource(models.TextChoices):
    NONE = "none", _("No text")
    FILE = "file", _("Text of the file")
    OCR_PENDING = "ocr_pending", _("Waiting for OCR")
    OCR = "ocr", _("Recognised by OCR")
    OCR_FAILED = "ocr_failed", _("OCR failed")


class Attachment(OrgScoped, StoredFileRecord):
    """A file of a document or of a handling note, stored through core.files (encrypted when secret)."""

    incoming = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    outgoing = models.ForeignKey(
        OutgoingDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    note = models.ForeignKey(
        HandlingNote, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # Text for search: pages separated by form feeds (core.extract), from the file or from OCR.
    text = models.TextField(blank=True, editable=False)
    text_source = models.CharField(max_length=12, choices=TextSource.choices, default=TextSource.NONE)
    # OCR (documents.ocr, queued by search.tasks): the rows with text_source OCR_PENDING are the queue.
    # The searchable PDF/A made from a scan is a second stored file beside the original, untouched; it is
    # encrypted when the original is (same master key, its own file key and nonce).
    ocr_path = models.CharField(max_length=255, blank=True)
    ocr_sha256 = models.CharField(max_length=64, blank=True)
    ocr_size = models.PositiveBigIntegerField(null=True, blank=True)
    ocr_encrypted = models.BooleanField(default=False)
    ocr_wrapped_key = models.CharField(max_length=200, blank=True)
    ocr_nonce = models.CharField(max_length=50, blank=True)
    ocr_error = models.TextField(blank=True)
    # A worker's claim: set when it takes the file, cleared when done; a claim older than the OCR
    # timeout is taken again (the worker died), up to a few attempts.
    ocr_started_at = models.DateTimeField(null=True, blank=True)
    ocr_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incoming__isnull=False) | Q(outgoing__isnull=False),
                name="attachment_belongs_to_a_document",
            )
        ]
        indexes = [
            # The OCR queue, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(text_source="ocr_pending"),
                name="attachment_ocr_queue",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
