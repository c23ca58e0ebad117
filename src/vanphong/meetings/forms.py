from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import User
from vanphong.core.access import Actor, visible
from vanphong.documents.forms import (
    DateInput,
    MultipleFileField,
    UserChoiceField,
    clearance_choices,
    limit_queryset,
    member_users,
)
from vanphong.meetings.models import (
    Ballot,
    ConclusionKind,
    Meeting,
    MeetingStatus,
    Recommendation,
    ScheduleEntry,
    Submission,
)
from vanphong.org.models import Body, Person, Term, Unit

DATETIME = {"type": "datetime-local"}


def _bodies(actor: Actor) -> Any:
    """The organisation's bodies, those of the latest term first."""
    return visible(actor, Body).select_related("term").order_by("-term__start_date")


class SubmissionForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("Files (PDF, DOCX, images)"))
    note = forms.CharField(label=_("What changed (for a revision)"), required=False, max_length=2000)

    class Meta:
        model = Submission
        fields = ["title", "kind", "unit", "body", "secrecy", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "title": forms.TextInput()}

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["unit"], visible(actor, Unit).filter(is_active=True))
        limit_queryset(self.fields["body"], _bodies(actor))
        self.fields["secrecy"] = forms.TypedChoiceField(label=_("Secrecy"), coerce=int)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(actor)
        if self.instance.pk:
            self.initial["secrecy"] = self.instance.secrecy


class AppraiserForm(forms.Form):
    appraiser = UserChoiceField(label=_("Appraiser"), queryset=User.objects.none())

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["appraiser"], member_users(actor))


class OpinionRequestForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units asked for their opinion"), queryset=Unit.objects.none()
    )
    days = forms.IntegerField(label=_("Within working days"), min_value=1, max_value=60, initial=3)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["units"], visible(actor, Unit).filter(is_active=True))


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class AppraisalForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices)
    appraisal = forms.CharField(label=_("Appraisal"), widget=forms.Textarea(attrs={"rows": 5}))


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    accept_late = forms.BooleanField(label=_("Accept the paper although it is late"), required=False)

    def __init__(self, *args: Any, actor: Actor, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        limit_queryset(
            self.fields["meeting"],
            visible(actor, Meeting)
            .filter(status=MeetingStatus.PLANNED, starts_at__gt=timezone.now(), body=submission.body)
            .order_by("starts_at"),
        )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "body", "extraordinary", "title", "starts_at", "ends_at", "place", "chair"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
            "title": forms.TextInput(),
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["body"], _bodies(actor))
        limit_queryset(self.fields["chair"], visible(actor, Person).filter(is_active=True))


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=500)
    presenter = forms.CharField(label=_("Presented by"), max_length=255, required=False)
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), coerce=int)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(actor)


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person of this organisation"), queryset=Person.objects.none(), required=False
    )
    guest_name = forms.CharField(label=_("or a guest: name"), max_length=200, required=False)
    guest_title = forms.CharField(label=_("Guest's position and body"), max_length=255, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any person id is accepted here; the service refuses people of other organisations with a
        # message that says to invite them as guests.
        limit_queryset(self.fields["person"], Person.objects.filter(is_active=True))


class VoteForm(forms.Form):
    question = forms.CharField(label=_("Question voted on"), max_length=500)
    ballot = forms.ChoiceField(label=_("Ballot"), choices=Ballot.choices)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("Abstain"), min_value=0, initial=0)


class ConclusionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConclusionKind.choices)
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible committee member"), queryset=Person.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["lead_unit"], visible(actor, Unit).filter(is_active=True))
        limit_queryset(self.fields["responsible"], visible(actor, Person).filter(is_active=True))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))


class EntryForm(forms.ModelForm):
    class Meta:
        model = ScheduleEntry
        fields = ["day", "start", "end", "leaders", "content", "place", "preparer", "cancelled"]
        widgets = {
            "day": DateInput(),
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_queryset(self.fields["term"], visible(actor, Term))
