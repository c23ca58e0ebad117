"""Each statutory deadline rule, with real dates around Tết 2026, 30/4–1/5 and 2/9."""

from __future__ import annotations

import datetime

import pytest

from vanphong.petitions import rules
from vanphong.petitions.models import DayCount, DeadlineRule, PetitionKind, Stage

D = datetime.date
COMPLAINT, DENUNCIATION = PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION

pytestmark = pytest.mark.django_db


def acceptance(kind, received_on, org) -> rules.Deadline:
    deadline = rules.acceptance_deadline(kind, received_on, org)
    assert deadline is not None
    return deadline


def resolution(kind, accepted_on, org, **case) -> rules.Deadline:
    deadline = rules.resolution_deadline(kind, accepted_on, org, **case)
    assert deadline is not None
    return deadline


def minimum(org, day) -> int:
    found = rules.reception_minimum(org, day)
    assert found is not None
    return found.days_per_month


def working_days_for_open_rules(org):
    settings = rules.petition_settings(org)
    settings.open_day_count = DayCount.WORKING
    settings.save()


def test_shipped_rules_name_their_sources():
    sources = {(r.kind, r.stage, r.instance): r.source for r in DeadlineRule.objects.all()}
    assert sources == {
        (COMPLAINT, Stage.ACCEPTANCE, ""): "Luật Khiếu nại 2011, Điều 27",
        (COMPLAINT, Stage.RESOLUTION, "first"): "Luật Khiếu nại 2011, Điều 28",
        (COMPLAINT, Stage.RESOLUTION, "second"): "Luật Khiếu nại 2011, Điều 37",
        (DENUNCIATION, Stage.ACCEPTANCE, ""): "Luật Tố cáo 2018, Điều 24",
        (DENUNCIATION, Stage.RESOLUTION, ""): "Luật Tố cáo 2018, Điều 30",
    }


def test_complaint_acceptance_counts_calendar_days_by_default(org_a):
    # Art. 27, calendar vs working days OPEN: the stricter calendar count is the default.
    deadline = acceptance(COMPLAINT, D(2026, 4, 24), org_a)
    assert deadline.date == D(2026, 5, 4) and deadline.days == 10 and deadline.counted == DayCount.CALENDAR


def test_complaint_acceptance_in_working_days_skips_hung_kings_and_30_4_1_5(org_a):
    working_days_for_open_rules(org_a)
    # Received Fri 24/4/2026: 27/4 (Hùng Kings observed), 30/4, 1/5 and the weekends do not count.
    assert acceptance(COMPLAINT, D(2026, 4, 24), org_a).date == D(2026, 5, 13)


def test_complaint_acceptance_in_working_days_around_national_day(org_a):
    working_days_for_open_rules(org_a)
    # Received Thu 27/8/2026: 31/8 (swap day), 1/9 and 2/9 are off.
    assert acceptance(COMPLAINT, D(2026, 8, 27), org_a).date == D(2026, 9, 15)


def test_denunciation_intake_counts_seven_working_days_by_default(org_a):
    # Luật Tố cáo 2018, Điều 24(1): 07 working days from receipt; 16–20/2 (Tết) and the weekends
    # do not count.
    deadline = acceptance(DENUNCIATION, D(2026, 2, 12), org_a)
    assert (deadline.date, deadline.days, deadline.counted) == (D(2026, 3, 2), 7, DayCount.WORKING)
    assert deadline.rule.source == "Luật Tố cáo 2018, Điều 24"


def test_an_office_may_still_count_the_denunciation_intake_in_calendar_days(org_a):
    settings = rules.petition_settings(org_a)
    settings.open_day_count = DayCount.CALENDAR
    settings.save()
    # 7 calendar days, ending inside Tết 2026.
    assert acceptance(DENUNCIATION, D(2026, 2, 12), org_a).date == D(2026, 2, 19)
    # The organisation's choice applies to every rule whose reading is not confirmed.
    assert acceptance(COMPLAINT, D(2026, 4, 24), org_a).date == D(2026, 5, 4)


def test_calendar_deadline_on_a_day_off_moves_only_when_the_office_chooses(org_a):
    first = resolution(COMPLAINT, D(2026, 1, 20), org_a)
    assert first.date == D(2026, 2, 19)  # 30 days, the third day of Tết
    settings = rules.petition_settings(org_a)
    settings.move_off_day_deadlines = True
    settings.save()
    # Civil Code 2015 art. 148(5): the next working day after Tết and the weekend.
    assert resolution(COMPLAINT, D(2026, 1, 20), org_a).date == D(2026, 2, 23)


@pytest.mark.parametrize(
    ("complex_case", "remote", "days", "expected"),
    [
        (False, False, 30, D(2026, 2, 19)),
        (True, False, 45, D(2026, 3, 6)),
        (False, True, 45, D(2026, 3, 6)),
        (True, True, 60, D(2026, 3, 21)),
    ],
)
def test_complaint_first_instance(org_a, complex_case, remote, days, expected):
    deadline = resolution(
        COMPLAINT, D(2026, 1, 20), org_a, instance="first", complex_case=complex_case, remote=remote
    )
    assert (deadline.days, deadline.date, deadline.rule.article) == (days, expected, "Điều 28")


@pytest.mark.parametrize(
    ("complex_case", "remote", "days", "expected"),
    [
        (False, False, 45, D(2026, 4, 16)),
        (True, False, 60, D(2026, 5, 1)),
        (False, True, 60, D(2026, 5, 1)),
        (True, True, 70, D(2026, 5, 11)),
    ],
)
def test_complaint_second_instance(org_a, complex_case, remote, days, expected):
    deadline = resolution(
        COMPLAINT, D(2026, 3, 2), org_a, instance="second", complex_case=complex_case, remote=remote
    )
    assert (deadline.days, deadline.date, deadline.rule.article) == (days, expected, "Điều 37")


def test_denunciation_resolution_is_thirty_days_whatever_the_complexity(org_a):
    for complex_case in (False, True):
        deadline = resolution(DENUNCIATION, D(2026, 8, 3), org_a, complex_case=complex_case)
        assert (deadline.days, deadline.date, deadline.rule.article) == (30, D(2026, 9, 2), "Điều 30")


def test_denunciation_extensions_one_if_complex_two_if_especially_complex(org_a):
    rule = rules.rule_for(DENUNCIATION, Stage.RESOLUTION, D(2026, 8, 3))
    rules.check_extension(rule, done=0, days=30, complex_case=True, especially_complex=False)
    rules.check_extension(rule, done=1, days=30, complex_case=True, especially_complex=True)
    with pytest.raises(Exception, match="Điều 30"):
        rules.check_extension(rule, done=1, days=30, complex_case=True, especially_complex=False)
    with pytest.raises(Exception, match="Điều 30"):
        rules.check_extension(rule, done=2, days=30, complex_case=True, especially_complex=True)


def test_a_new_regulation_is_a_new_row_applying_from_its_date(org_a):
    DeadlineRule.objects.create(
        kind=COMPLAINT,
        stage=Stage.ACCEPTANCE,
        days=5,
        day_count=DayCount.WORKING,
        effective_from=D(2027, 1, 1),
        regulation="Luật Khiếu nại (sửa đổi)",
        article="Điều 27",
    )
    assert acceptance(COMPLAINT, D(2026, 12, 31), org_a).date == D(2027, 1, 10)
    newer = acceptance(COMPLAINT, D(2027, 1, 4), org_a)
    # Mon 4/1/2027 + 5 working days.
    assert (newer.date, newer.rule.regulation) == (D(2027, 1, 11), "Luật Khiếu nại (sửa đổi)")


def test_proposals_and_reports_have_no_statutory_deadline(org_a):
    assert rules.acceptance_deadline(PetitionKind.PROPOSAL, D(2026, 3, 2), org_a) is None
    assert rules.resolution_deadline(PetitionKind.REPORT, D(2026, 3, 2), org_a) is None


def test_reception_minimum_per_level(org_a):
    from vanphong.testing import make_organisation

    commune = make_organisation("xa-tan-hoa", "ĐU", level="commune", parent=org_a)
    assert minimum(org_a, D(2026, 3, 1)) == 1
    assert minimum(commune, D(2026, 3, 1)) == 2
