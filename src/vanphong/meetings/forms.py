from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import User
from vanphong.core.forms import (
    DateInput,
    DateTimeInput,
    Form,
    ModelForm,
    MultipleFileField,
    UserChoiceField,
    clearance_choices,
    set_choices,
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

ACTIVE_UNITS = Unit.objects.filter(is_active=True)
ACTIVE_PEOPLE = Person.objects.filter(is_active=True)
USERS = User.objects.order_by("last_name", "first_name")
# The organisation's bodies, those of the latest term first.
BODIES = Body.objects.select_related("term").order_by("-term__start_date")


class SubmissionForm(ModelForm):
    attachments = MultipleFileField(label=_("Files (PDF, DOCX, images)"))
    note = forms.CharField(label=_("What changed (for a revision)"), required=False, max_length=2000)

    class Meta:
        model = Submission
        fields = ["title", "kind", "unit", "body", "secrecy", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "title": forms.TextInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["unit"], ACTIVE_UNITS)
        set_choices(self.fields["body"], BODIES)
        self.fields["secrecy"] = forms.TypedChoiceField(label=_("Secrecy"), coerce=int)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(self.actor)
        if self.instance.pk:
            self.initial["secrecy"] = self.instance.secrecy


class AppraiserForm(Form):
    appraiser = UserChoiceField(label=_("Appraiser"), queryset=USERS)


class OpinionRequestForm(Form):
    units = forms.ModelMultipleChoiceField(label=_("Units asked for their opinion"), queryset=ACTIVE_UNITS)
    days = forms.IntegerField(label=_("Within working days"), min_value=1, max_value=60, initial=3)


class OpinionForm(Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class AppraisalForm(Form):
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices)
    appraisal = forms.CharField(label=_("Appraisal"), widget=forms.Textarea(attrs={"rows": 5}))


class ScheduleForm(Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    accept_late = forms.BooleanField(label=_("Accept the paper although it is late"), required=False)

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["meeting"],
            Meeting.objects.filter(
                status__in=[MeetingStatus.PLANNED, MeetingStatus.POSTPONED],
                starts_at__gt=timezone.now(),
                body=submission.body,
            ).order_by("starts_at"),
        )


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "body", "extraordinary", "title", "starts_at", "ends_at", "place", "chair"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "title": forms.TextInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["body"], BODIES)
        set_choices(self.fields["chair"], ACTIVE_PEOPLE)


class ItemForm(Form):
    title = forms.CharField(label=_("Agenda item"), max_length=500)
    presenter = forms.CharField(label=_("Presented by"), max_length=255, required=False)
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(self.actor)


class InviteForm(Form):
    person = forms.ModelChoiceField(
        label=_("Person of this organisation"), queryset=ACTIVE_PEOPLE, required=False
    )
    guest_name = forms.CharField(label=_("or a guest: name"), max_length=200, required=False)
    guest_title = forms.CharField(label=_("Guest's position and body"), max_length=255, required=False)


class VoteForm(Form):
    question = forms.CharField(label=_("Question voted on"), max_length=500)
    ballot = forms.ChoiceField(label=_("Ballot"), choices=Ballot.choices)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("Abstain"), min_value=0, initial=0)


class ConclusionForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConclusionKind.choices)
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=ACTIVE_UNITS, required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible committee member"), queryset=ACTIVE_PEOPLE, required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput(), required=False)


class MinutesForm(Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))


class RescheduleForm(Form):
    """The new time of a postponed meeting planned again."""

    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())


class PostponeForm(RescheduleForm):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class CancelForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class EntryForm(ModelForm):
    class Meta:
        model = ScheduleEntry
        fields = ["day", "start", "end", "leaders", "content", "place", "preparer", "cancelled"]
        widgets = {
            "day": DateInput(),
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False)
