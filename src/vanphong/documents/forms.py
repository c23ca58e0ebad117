from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import User
from vanphong.core.access import Actor
from vanphong.core.deadlines import MAX_WORKING_DAYS
from vanphong.core.forms import (
    DateInput,
    Form,
    ModelForm,
    MultipleFileField,
    UserChoiceField,
    UserMultipleChoiceField,
    choice_field,
    clearance_choices,
    set_choices,
)
from vanphong.core.models import Clearance, Organisation
from vanphong.documents.models import (
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    Urgency,
)
from vanphong.org.models import Person, Unit

ACTIVE_UNITS = Unit.objects.filter(is_active=True)
USERS = User.objects.order_by("last_name", "first_name")


def recipient_organisations(actor: Actor, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Documents may be sent to every other active committee on this deployment."""
    return queryset.exclude(pk=actor.organisation.pk) if actor.organisation else queryset.none()


class IncomingForm(Form):
    doc_type = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.filter(is_active=True))
    sender_name = forms.CharField(label=_("Sender"), max_length=255)
    sender_reference = forms.CharField(label=_("Sender's number and symbol"), max_length=100, required=False)
    document_date = forms.DateField(label=_("Document date"), widget=DateInput())
    arrived_at = forms.DateTimeField(
        label=_("Arrival date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    summary = forms.CharField(label=_("Summary (trích yếu)"), widget=forms.Textarea(attrs={"rows": 3}))
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), coerce=int, choices=Clearance.choices)
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=Urgency.choices)
    pages = forms.IntegerField(label=_("Pages"), min_value=1, initial=1)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, initial=1)
    attachments = MultipleFileField(label=_("Files (PDF, DOCX, images)"))
    confirm_duplicate = forms.BooleanField(
        label=_("Register it even though it seems registered already"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.actor
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(actor)
        self.fields["arrived_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_document_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["document_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The document date is in the future."))
        return value


class RoutingForm(Form):
    instruction = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=ACTIVE_UNITS, required=False)
    lead_user = UserChoiceField(label=_("Lead person"), queryset=USERS, required=False)
    support_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=ACTIVE_UNITS, required=False
    )
    support_users = UserMultipleChoiceField(label=_("Supporting people"), queryset=USERS, required=False)
    inform_units = forms.ModelMultipleChoiceField(
        label=_("Units informed"), queryset=ACTIVE_UNITS, required=False
    )
    inform_users = UserMultipleChoiceField(label=_("People informed"), queryset=USERS, required=False)
    deadline = forms.DateField(label=_("Deadline (date)"), widget=DateInput(), required=False)
    deadline_days = forms.IntegerField(
        label=_("or within working days"), min_value=1, max_value=MAX_WORKING_DAYS, required=False
    )


class NoteForm(Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("comment", _("Comment")), ("draft", _("Draft reply"))], initial="comment"
    )
    attachments = MultipleFileField(label=_("Files"))


class HandledForm(Form):
    text = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reply = forms.ModelChoiceField(
        label=_("Reply document"),
        queryset=OutgoingDocument.objects.filter(status=OutgoingStatus.ISSUED),
        required=False,
    )


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class AttachForm(Form):
    attachments = MultipleFileField(label=_("Files"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Beside the note form's files on the same page: its own ids.
        kwargs.setdefault("auto_id", "id_attach_%s")
        super().__init__(*args, **kwargs)


class OutgoingForm(ModelForm):
    internal_recipients = choice_field(
        forms.ModelMultipleChoiceField,
        recipient_organisations,
        label=_("Recipients on this system"),
        queryset=Organisation.objects.filter(active_until__isnull=True),
        required=False,
        help_text=_("They receive it in their incoming register when it is issued."),
    )
    attachments = MultipleFileField(label=_("Files"))

    class Meta:
        model = OutgoingDocument
        fields = [
            "doc_type",
            "summary",
            "addressees",
            "body",
            "secrecy",
            "urgency",
            "signer",
            "signing_authority",
            "signing_body",
            "signer_title",
            "external_recipients",
            "keeping_unit",
            "copies",
            "reply_to",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "addressees": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "external_recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.actor
        set_choices(self.fields["doc_type"], DocumentType.objects.filter(is_active=True))
        set_choices(self.fields["signer"], Person.objects.filter(is_active=True, user__isnull=False))
        set_choices(self.fields["keeping_unit"], ACTIVE_UNITS)
        set_choices(
            self.fields["reply_to"], IncomingDocument.objects.exclude(status=IncomingStatus.CANCELLED)
        )
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(actor)
        if self.instance.pk:
            self.fields["internal_recipients"].initial = [
                r.organisation_id for r in self.instance.internal_recipients.all()
            ]


class RegisterFilterForm(Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    doc_type = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.all(), required=False)
    sender = forms.CharField(label=_("Sender"), required=False)
    secrecy = forms.TypedChoiceField(
        label=_("Secrecy"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any")), *Clearance.choices],
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    text = forms.CharField(label=_("Words in the summary"), required=False)

    def __init__(
        self, *args: Any, statuses: list[tuple[str, Any]], by_sender: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("Any")), *statuses]
        if not by_sender:  # the outgoing register: its documents have recipients, not a sender
            del self.fields["sender"]
