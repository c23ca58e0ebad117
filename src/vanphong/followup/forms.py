"""Forms of the follow-up pages; the services do the checking, the forms only parse and offer choices."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.core.deadlines import MAX_WORKING_DAYS
from vanphong.core.forms import DateInput, Form, MultipleFileField, clearance_choices
from vanphong.core.models import Clearance
from vanphong.followup.models import Evaluation, Recurrence, Source, SourceKind, Status
from vanphong.org.models import Person, Term, Unit

ACTIVE_UNITS = Unit.objects.filter(is_active=True)
# The responsible member is usually a committee member; any active person of the organisation may be.
ACTIVE_PEOPLE = Person.objects.filter(is_active=True)
QUARTERS = [("", "—"), *[(q, _("Quarter %(n)s") % {"n": q}) for q in range(1, 5)]]
MONTHS = [("", "—"), *[(m, _("Month %(n)s") % {"n": m}) for m in range(1, 13)]]


class FilterForm(Form):
    unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=ACTIVE_UNITS, required=False)
    person = forms.ModelChoiceField(label=_("Responsible member"), queryset=ACTIVE_PEOPLE, required=False)
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.all(), required=False)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTERS, coerce=int, empty_value=None, required=False
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTHS, coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False)


class SourceForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    year = forms.IntegerField(
        label=_("Year (work programme)"), required=False, min_value=1930, max_value=2200
    )
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), coerce=int, choices=Clearance.choices, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(self.actor)


class TaskForm(Form):
    content = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_product = forms.CharField(label=_("Expected product"), max_length=500, required=False)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=ACTIVE_UNITS)
    support_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"),
        queryset=ACTIVE_UNITS,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible committee member"), queryset=ACTIVE_PEOPLE, required=False
    )
    deadline = forms.DateField(label=_("Deadline (date)"), widget=DateInput(), required=False)
    deadline_days = forms.IntegerField(
        label=_("or within working days"), required=False, min_value=1, max_value=MAX_WORKING_DAYS
    )
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Recurrence.choices, required=False)
    repeat_until = forms.DateField(label=_("Repeats until"), widget=DateInput(), required=False)
    period_quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTERS, coerce=int, empty_value=None, required=False
    )
    period_month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTHS, coerce=int, empty_value=None, required=False
    )
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), coerce=int, choices=Clearance.choices, initial=0)
    weight = forms.IntegerField(label=_("Weight in the parent task (%)"), initial=100, required=False)

    def __init__(self, *args: Any, source: Source, subtask: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["secrecy"]).choices = clearance_choices(self.actor)
        if not subtask:
            del self.fields["weight"]
        else:
            del self.fields["recurrence"], self.fields["repeat_until"]
        if source.kind != SourceKind.WORK_PROGRAMME:
            del self.fields["period_quarter"], self.fields["period_month"]


class ReportForm(Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"))
    files = MultipleFileField(label=_("Products (files)"))  # type: ignore[assignment]


class ExtensionForm(Form):
    requested_deadline = forms.DateField(label=_("New deadline asked for"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(Form):
    new_deadline = forms.DateField(
        label=_("New deadline (if different from the one asked for)"), widget=DateInput(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EvaluationForm(Form):
    evaluation = forms.ChoiceField(label=_("Evaluation"), choices=Evaluation.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ImportForm(Form):
    file = forms.FileField(label=_("File (XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    confirm = forms.BooleanField(
        label=_("Record the reports (otherwise only check the file)"), required=False
    )
