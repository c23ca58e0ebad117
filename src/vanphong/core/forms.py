"""The base of every form: it knows its actor, narrows its choices for them and bounds its input.

Every form of the application derives from `Form` or `ModelForm` here and is made with `actor=`
(`web/tests/test_forms.py` checks both for every form). Then, whatever a form's own code does:

- every model choice (`ModelChoiceField`, `ModelMultipleChoiceField`) is narrowed to what the actor
  may see, through the model's access policy (`core.access.visible`), once the form's own
  `__init__` has set its queryset; a field whose choices follow another rule names it with
  `narrowing=` (e.g. the organisations a document may be sent to);
- every date is read day first whatever the language (`DATE_INPUT_FORMATS`), in the Vietnamese
  date input, and lies in `core.bounds`' window; every integer within the database's range;
- every text is cleaned of control characters (single-line fields also of line breaks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model, QuerySet
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import ModelFormMetaclass as DjangoModelFormMetaclass
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from vanphong.core import bounds
from vanphong.core.access import Actor, visible
from vanphong.core.models import Clearance

Narrowing = Callable[[Actor, QuerySet[Any]], QuerySet[Any]]


# -- widgets and fields shared by the apps' forms --------------------------------------------------


# Dates are written day first in Vietnam, whatever the browser's language: the server reads these
# formats only (never the locale's month-first ones), the day first, then ISO for machines and tests.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    *(f"{date} %H:%M" for date in ("%d/%m/%Y", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y")),
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]


class _DayFirstInput(forms.TextInput):
    """A text input written dd/mm/yyyy (no browser date field, which follows the browser's language),
    enhanced by `web/static/vanphong/dates.js`: a Vietnamese calendar, the date in words beside the
    field, and a warning for a date more than a year from today."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-today": timezone.localdate().isoformat(),
                "data-far-warning": gettext("This date is more than a year from today: is it right?"),
                "data-calendar-label": gettext("Choose on a calendar"),
            }
        )
        return context


class DateInput(_DayFirstInput, forms.DateInput):
    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs={**attrs, "data-date": "date"}, format="%d/%m/%Y", **kwargs)


class DateTimeInput(_DayFirstInput, forms.DateTimeInput):
    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        attrs = {"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs={**attrs, "data-date": "datetime"}, format="%d/%m/%Y %H:%M", **kwargs)


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

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def uploaded(files: list[UploadedFile[Any]]) -> list[tuple[str, bytes]]:
    return [(file.name or "file", file.read()) for file in files]


class UserChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def clearance_choices(actor: Actor) -> list[tuple[int, Any]]:
    """Secrecy levels up to the actor's clearance: nobody marks a paper above what they may read."""
    return [(value, label) for value, label in Clearance.choices if value <= actor.clearance]


def set_choices(field: forms.Field, queryset: QuerySet[Any]) -> None:
    cast(forms.ModelChoiceField[Any], field).queryset = queryset


# -- bounds -----------------------------------------------------------------------------------------


def _bound_dates(field: forms.DateField | forms.DateTimeField) -> None:
    """Day first whatever the language, in the Vietnamese input, within the window."""
    field.validators.append(bounds.check_date)
    with_time = isinstance(field, forms.DateTimeField)
    field.input_formats = DATETIME_INPUT_FORMATS if with_time else DATE_INPUT_FORMATS
    if not isinstance(field.widget, DateInput | DateTimeInput | forms.HiddenInput):
        attrs = {name: value for name, value in field.widget.attrs.items() if name != "type"}
        field.widget = (DateTimeInput if with_time else DateInput)(attrs=attrs)
    field.widget.attrs.update(
        {"data-min": bounds.MIN_DATE.isoformat(), "data-max": bounds.MAX_DATE.isoformat()}
    )


def _bound_integers(field: forms.IntegerField) -> None:
    own_low, own_high = cast(int | None, field.min_value), cast(int | None, field.max_value)
    if own_low is None or own_low < bounds.INT_MIN:
        field.min_value = bounds.INT_MIN
        field.validators.append(MinValueValidator(bounds.INT_MIN))
    if own_high is None or own_high > bounds.INT_MAX:
        field.max_value = bounds.INT_MAX
        field.validators.append(MaxValueValidator(bounds.INT_MAX))
    field.widget.attrs.update({"min": field.min_value, "max": field.max_value})


def _bound_text(field: forms.CharField) -> None:
    multiline = isinstance(field.widget, forms.Textarea)
    to_python = field.to_python

    def cleaned(value: Any) -> Any:
        if isinstance(value, str):
            value = bounds.clean_text(value, multiline=multiline)
        return to_python(value)

    field.to_python = cleaned  # type: ignore[method-assign]


def bound(field: forms.Field) -> None:
    """Hold one field to `core.bounds`."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        _bound_dates(field)
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
        _bound_integers(field)
    elif isinstance(field, forms.CharField):
        _bound_text(field)


# Django's empty choice is a row of dashes in every language; ours says what to do.
EMPTY_CHOICE = gettext_lazy("— choose —")
DASHES = "---------"

# Django's Vietnamese catalogue writes these with a space before the full stop ("… bằng với 1 ."); our
# catalogue, read before Django's (LOCALE_PATHS), words them again.
REWORDED_DJANGO_MESSAGES = (
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
)


def _word_empty_choice(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField) and field.empty_label == DASHES:
        field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(cast(Iterable[Any], field.choices))
        if choices and choices[0] == ("", DASHES):
            field.choices = [("", EMPTY_CHOICE), *choices[1:]]


# -- the base forms ---------------------------------------------------------------------------------


def narrowed(field: forms.ModelChoiceField[Any], actor: Actor) -> QuerySet[Model]:
    narrowing: Narrowing = getattr(field, "narrowing", visible)
    return narrowing(actor, cast(QuerySet[Any], field.queryset))


class ActorFormMixin:
    """Made with `actor=`; bounds every field; narrows every model choice once the form is built."""

    actor: Actor
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound(field)

    def narrow_choices(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = narrowed(field, self.actor)
            _word_empty_choice(field)


class _NarrowAfterInit(type):
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        form = super().__call__(*args, **kwargs)
        form.narrow_choices()
        return form


class FormMetaclass(_NarrowAfterInit, DeclarativeFieldsMetaclass):
    pass


class ModelFormMetaclass(_NarrowAfterInit, DjangoModelFormMetaclass):
    pass


class Form(ActorFormMixin, forms.Form, metaclass=FormMetaclass):
    pass


class ModelForm(ActorFormMixin, forms.ModelForm[Any], metaclass=ModelFormMetaclass):
    pass


def choice_field(
    field_class: type[forms.ModelChoiceField[Any]], narrowing: Narrowing, **kwargs: Any
) -> forms.ModelChoiceField[Any]:
    """A model choice field narrowed by its own rule instead of the model's access policy."""
    field = field_class(**kwargs)
    field.narrowing = narrowing  # type: ignore[attr-defined]
    return field
