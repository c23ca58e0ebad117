from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.core.forms import DateInput, Form, ModelForm, set_choices
from vanphong.org.models import Person, PositionHolding, Unit

ACTIVE_UNITS = Unit.objects.filter(is_active=True)


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = [
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_year",
            "unit",
            "job_title",
            "email",
            "phone",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["unit"], ACTIVE_UNITS)


class HoldingForm(ModelForm):
    class Meta:
        model = PositionHolding
        fields = ["person", "start_date", "end_date", "acting", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["person"], Person.objects.order_by("sort_key"))


class DirectoryFilterForm(Form):
    q = forms.CharField(label=_("Name"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["unit"], ACTIVE_UNITS)
