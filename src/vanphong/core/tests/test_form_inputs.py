"""What forms take and say: dates read day first whatever the interface language, shown dd/mm/yyyy in
a text field (a browser date field follows the browser's language: mm/dd/yyyy in an English one); an
empty choice that says what to do; limits said in plain Vietnamese."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from vanphong.core.forms import Form
from vanphong.testing import actor_of, make_organisation, make_user


class Dates(Form):
    day = forms.DateField()
    moment = forms.DateTimeField()


@pytest.fixture
def actor(db):
    organisation = make_organisation("tu-test")
    return actor_of(make_user(organisation, "vanthu", roles=["clerk"]), organisation)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "typed", ["02/12/2026", "02122026", "2/12/2026", "02-12-2026", "02.12.2026", "2026-12-02"]
)
def test_a_date_is_read_day_first_in_every_language(actor, language, typed):
    with translation.override(language):
        form = Dates({"day": typed, "moment": f"{typed} 14:30"}, actor=actor)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 12, 2)
    moment = form.cleaned_data["moment"]
    assert (moment.day, moment.month, moment.hour, moment.minute) == (2, 12, 14, 30)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_month_first_date_is_refused_not_read_another_way(actor, language):
    with translation.override(language):
        form = Dates({"day": "12/31/2026", "moment": "12/31/2026 09:00"}, actor=actor)
        assert not form.is_valid()
    assert set(form.errors) == {"day", "moment"}


def test_every_date_field_is_a_day_first_text_field_with_the_date_written_that_way(actor):
    form = Dates(
        initial={"day": datetime.date(2026, 12, 2), "moment": datetime.datetime(2026, 12, 2, 8, 5)},
        actor=actor,
    )
    day, moment = str(form["day"]), str(form["moment"])
    assert 'type="text"' in day and 'value="02/12/2026"' in day and 'data-date="date"' in day
    assert (
        'type="text"' in moment and 'value="02/12/2026 08:05"' in moment and 'data-date="datetime"' in moment
    )
    assert 'placeholder="dd/mm/yyyy"' in day


def test_a_browser_date_field_given_by_a_form_becomes_the_day_first_field(actor):
    class Arrival(Form):
        arrived_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    field = str(Arrival(actor=actor)["arrived_at"])
    assert 'type="text"' in field and "datetime-local" not in field and 'data-date="datetime"' in field


class Choices(Form):
    clearance = forms.TypedChoiceField(coerce=int, choices=[("", "---------"), (0, "Không mật"), (1, "Mật")])
    pages = forms.IntegerField(min_value=1)


def test_an_empty_choice_says_what_to_do_and_a_limit_is_said_without_a_stray_space(actor):
    from django.utils import translation

    with translation.override("vi"):
        form = Choices({"clearance": "1", "pages": "0"}, actor=actor)
        assert "— Chọn —" in str(form["clearance"]) and "---------" not in str(form["clearance"])
        assert not form.is_valid()
        assert form.errors["pages"] == ["Giá trị phải lớn hơn hoặc bằng 1."]
