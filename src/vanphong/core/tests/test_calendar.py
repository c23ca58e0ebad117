import datetime

import pytest

from vanphong.core.calendar import WorkingCalendar
from vanphong.core.models import CalendarOverride
from vanphong.core.services import set_calendar_override
from vanphong.testing import actor_of, make_user

D = datetime.date


@pytest.fixture
def national(db):
    return WorkingCalendar()


def test_tet_2026_is_off_and_deadlines_skip_it(national):
    # Tết Bính Ngọ: 16–20/2/2026 (Mon–Fri) off, then the weekend.
    for day in range(16, 21):
        assert not national.is_working_day(D(2026, 2, day))
    assert national.is_working_day(D(2026, 2, 13))  # Friday before Tết
    # 3 working days after Friday 13/2 are Mon 23, Tue 24, Wed 25 February.
    assert national.working_days_after(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_tet_2025_includes_the_29th_and_the_weekend_after(national):
    # Tết Ất Tỵ: 27/1–2/2/2025 off (29 Tết to Mùng 5 with the weekend), back on Monday 3/2.
    assert not national.is_working_day(D(2025, 1, 27))
    assert national.working_days_after(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_make_up_saturday_and_swap_day_2025(national):
    # 26/4/2025 (Saturday) was worked in exchange for Friday 2/5/2025.
    assert national.is_working_day(D(2025, 4, 26))
    assert not national.is_working_day(D(2025, 5, 2))
    assert national.working_days_after(D(2025, 4, 29), 1) == D(2025, 5, 5)


def test_national_day_2026_and_hung_kings(national):
    assert not national.is_working_day(D(2026, 9, 2))
    assert not national.is_working_day(D(2026, 9, 1))
    assert not national.is_working_day(D(2026, 4, 27))  # Hùng Kings observed on Monday


def test_zero_days_rolls_forward_to_a_working_day(national):
    assert national.working_days_after(D(2026, 2, 14), 0) == D(2026, 2, 23)
    assert national.working_days_after(D(2026, 2, 12), 0) == D(2026, 2, 12)


def test_working_days_between(national):
    assert national.working_days_between(D(2026, 2, 13), D(2026, 2, 25)) == 3
    assert national.working_days_between(D(2026, 2, 25), D(2026, 2, 13)) == -3
    with pytest.raises(ValueError):
        national.working_days_after(D(2026, 1, 1), -1)


def test_override_declares_an_extra_day_off_for_one_organisation(org_a, org_b):
    chief = make_user(org_a, "chief", roles=["office_chief"])
    set_calendar_override(
        actor_of(chief, org_a),
        date=D(2026, 3, 6),
        is_working_day=False,
        name="Nghỉ bù Đại hội",
        source="QĐ 12",
    )
    assert not WorkingCalendar(org_a).is_working_day(D(2026, 3, 6))
    assert WorkingCalendar(org_b).is_working_day(D(2026, 3, 6))
    assert WorkingCalendar().is_working_day(D(2026, 3, 6))
    assert (D(2026, 3, 6), "Nghỉ bù Đại hội") in WorkingCalendar(org_a).days_off(2026)


def test_organisation_override_wins_over_national(org_a):
    CalendarOverride.objects.create(date=D(2027, 1, 4), is_working_day=False, name="National")
    CalendarOverride.objects.create(organisation=org_a, date=D(2027, 1, 4), is_working_day=True, name="Local")
    assert WorkingCalendar(org_a).is_working_day(D(2027, 1, 4))
    assert not WorkingCalendar().is_working_day(D(2027, 1, 4))


def test_clerk_may_not_change_the_calendar(org_a):
    from django.core.exceptions import PermissionDenied

    clerk = make_user(org_a, "clerk", roles=["clerk"])
    with pytest.raises(PermissionDenied):
        set_calendar_override(actor_of(clerk, org_a), date=D(2026, 3, 6), is_working_day=False, name="x")
    assert not CalendarOverride.objects.exists()
