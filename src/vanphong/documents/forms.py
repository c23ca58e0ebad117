from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import User
from vanphong.core.access import Actor, visible
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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg,.tif,.tiff"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def uploaded(files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    return [(file.name or "file", file.read()) for file in files]


def limit_queryset(field: forms.Field, queryset: Any) -> None:
    cast(forms.ModelChoiceField, field).queryset = queryset


def clearance_choices(actor: Actor) -> list[tuple[int, Any]]:
    return [(value, label) for value, label in Clearance.choices if value <= actor.clearance]


def member_users(actor: Actor) -> Any:
    return User.objects.filter(
        memberships__organisation=actor.organisation, memberships__is_active=True
    ).order_by("last_name", "first_name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class IncomingForm(forms.Form):
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

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(actor)
        self.fields["arrived_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_document_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["document_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The document date is in the future."))
        return value


class RoutingForm(forms.Form):
    instruction = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    lead_user = UserChoiceField(label=_("Lead person"), queryset=User.objects.none(), required=False)
    support_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=Unit.objects.none(), required=False
    )
    support_users = UserMultipleChoiceField(
        label=_("Supporting people"), queryset=User.objects.none(), required=False
    )
    inform_units = forms.ModelMultipleChoiceField(
        label=_("Units informed"), queryset=Unit.objects.none(), required=False
    )
    inform_users = UserMultipleChoiceField(
        label=_("People informed"), queryset=User.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline (date)"), widget=DateInput(), required=False)
    deadline_days = forms.IntegerField(label=_("or within working days"), min_value=1, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = visible(actor, Unit).filter(is_active=True)
        users = member_users(actor)
        for name in ("lead_unit", "support_units", "inform_units"):
            limit_queryset(self.fields[name], units)
        for name in ("lead_user", "support_users", "inform_users"):
            limit_queryset(self.fields[name], users)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("comment", _("Comment")), ("draft", _("Draft reply"))], initial="comment"
    )
    attachments = MultipleFileField(label=_("Files"))


class HandledForm(forms.Form):
    text = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reply = forms.ModelChoiceField(
        label=_("Reply document"), queryset=OutgoingDocument.objects.none(), required=False
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(
            self.fields["reply"], visible(actor, OutgoingDocument).filter(status=OutgoingStatus.ISSUED)
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class AttachForm(forms.Form):
    attachments = MultipleFileField(label=_("Files"), required=True)


class OutgoingForm(forms.ModelForm):
    internal_recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients on this system"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("They receive it in their incoming register when it is issued."),
    )
    attachments = MultipleFileField(label=_("Files"))

    class Meta:
        model = OutgoingDocument
        fields = [
            "doc_type",
            "summary",
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
            "body": forms.Textarea(attrs={"rows": 12}),
            "external_recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["doc_type"], DocumentType.objects.filter(is_active=True))
        limit_queryset(
            self.fields["signer"],
            Person.objects.filter(
                organisation=actor.organisation, is_active=True, user__isnull=False
            ).order_by("sort_key"),
        )
        limit_queryset(self.fields["keeping_unit"], visible(actor, Unit).filter(is_active=True))
        limit_queryset(
            self.fields["reply_to"], visible(actor, IncomingDocument).exclude(status=IncomingStatus.CANCELLED)
        )
        limit_queryset(
            self.fields["internal_recipients"],
            Organisation.objects.filter(active_until__isnull=True).exclude(
                pk=actor.organisation.pk if actor.organisation else 0
            ),
        )
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(actor)
        if self.instance.pk:
            self.fields["internal_recipients"].initial = [
                r.organisation_id for r in self.instance.internal_recipients.all()
            ]


class RegisterFilterForm(forms.Form):
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

    def __init__(self, *args: Any, statuses: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("Any")), *statuses]
