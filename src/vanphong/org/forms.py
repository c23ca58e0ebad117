from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, visible
from vanphong.org.models import Person, PositionHolding, Unit


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.ModelForm):
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

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = visible(actor, Unit).filter(
            is_active=True
        )


class HoldingForm(forms.ModelForm):
    class Meta:
        model = PositionHolding
        fields = ["person", "start_date", "end_date", "acting", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = visible(actor, Person).order_by(
            "sort_key"
        )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = visible(actor, Unit).filter(
            is_active=True
        )
