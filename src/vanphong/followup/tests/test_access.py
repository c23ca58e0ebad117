"""Who sees which tasks: units their own, members what they monitor, the office and leaders the
organisation's, Tuyệt mật only the entitled, parents only figures of their children."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from vanphong.core.access import visible
from vanphong.core.models import Clearance
from vanphong.followup import assignment, extensions, progress, selectors, workflow
from vanphong.followup.models import Task, TaskTally
from vanphong.followup.tests.conftest import FollowupOffice, build_followup_office
from vanphong.testing import actor_of, make_organisation, make_user, system

pytestmark = pytest.mark.django_db


def _ids(office: FollowupOffice, user: object) -> set[int]:
    return set(visible(office.actor(user), Task).values_list("pk", flat=True))  # type: ignore[arg-type]


def test_units_see_their_own_tasks_members_what_they_monitor(office: FollowupOffice) -> None:
    board_task = office.task(responsible=None)
    propaganda_task = office.task(lead_unit=office.propaganda, responsible=None)
    supported = office.task(lead_unit=office.propaganda, support_units=[office.board], responsible=None)
    monitored = office.task(lead_unit=office.propaganda, responsible=office.member_person)
    assert _ids(office, office.board_officer) == {board_task.pk, supported.pk}
    assert _ids(office, office.propaganda_officer) == {propaganda_task.pk, supported.pk, monitored.pk}
    assert _ids(office, office.member) == {monitored.pk}
    everything = {board_task.pk, propaganda_task.pk, supported.pk, monitored.pk}
    assert _ids(office, office.chief) == everything
    assert _ids(office, office.secretary) == everything
    assert _ids(office, office.inspector) == everything  # 08-QC/TW: the Inspection Committee reads


def test_tasks_above_clearance_are_invisible(office: FollowupOffice) -> None:
    secret = office.task(secrecy=Clearance.TOI_MAT, responsible=None)
    assert secret.pk in _ids(office, office.chief)  # Tối mật clearance
    assert secret.pk not in _ids(office, office.clerk)  # Mật clearance
    assert secret.pk in _ids(office, office.board_officer)  # lead unit, Tối mật clearance


def test_tuyet_mat_content_only_for_the_entitled_others_see_a_count(office: FollowupOffice) -> None:
    top = office.task(secrecy=Clearance.TUYET_MAT, lead_unit=office.office, responsible=None)
    office.task(responsible=None)
    chief_t3 = make_user(office.org, "phochanh", roles=["office_chief"], clearance=Clearance.TUYET_MAT)
    # The office chief, even cleared for Tuyệt mật, has no part in it: not visible...
    assert top.pk not in set(visible(actor_of(chief_t3, office.org), Task).values_list("pk", flat=True))
    # ...but counted as restricted on the dashboard, without its status.
    assert selectors.restricted_count(actor_of(chief_t3, office.org), selectors.Criteria()) == 1
    assert selectors.figures(actor_of(chief_t3, office.org), selectors.Criteria()).total == 1
    # The standing leader (Tuyệt mật, entitled) sees it.
    assert top.pk in _ids(office, office.secretary)
    # Units and members see no count at all.
    assert selectors.restricted_count(office.actor(office.board_officer), selectors.Criteria()) is None


def test_parent_sees_childrens_figures_not_their_tasks(office: FollowupOffice) -> None:
    commune = make_organisation(
        "tan-hoa", "ĐU", name="Đảng ủy xã Tân Hòa", level="commune", parent=office.org
    )
    child = build_followup_office(commune, prefix="x.")
    late = child.task(deadline=datetime.date(2026, 3, 10))
    child.task(secrecy=Clearance.TUYET_MAT, responsible=None)
    progress.submit_report(
        system(commune), late, text="Xong", percent=100, reported_on=datetime.date(2026, 3, 20)
    )
    actor = office.actor(office.chief)
    assert not visible(actor, Task).filter(organisation=commune).exists()
    rows = selectors.rollup(actor, selectors.Criteria())
    assert [row.organisation for row in rows] == [commune]
    assert rows[0].figures.counts["done_late"] == 1 and rows[0].restricted == 1
    assert rows[0].figures.total == 1  # the Tuyệt mật task is counted apart only
    # Units of the parent get no roll-up.
    assert selectors.rollup(office.actor(office.board_officer), selectors.Criteria()) == []
    # The child does not see the parent's figures.
    assert selectors.rollup(child.actor(child.chief), selectors.Criteria()) == []


def test_status_counts_follow_the_date(office: FollowupOffice) -> None:
    task = office.task(deadline=datetime.date(2026, 3, 20))
    actor = office.actor(office.chief)
    before = selectors.figures(actor, selectors.Criteria(), today=datetime.date(2026, 3, 3)).counts
    soon = selectors.figures(actor, selectors.Criteria(), today=datetime.date(2026, 3, 18)).counts
    after = selectors.figures(actor, selectors.Criteria(), today=datetime.date(2026, 3, 23)).counts
    assert before["not_started"] == 1 and soon["due_soon"] == 1 and after["overdue"] == 1
    assert task.phase == "not_started"  # nothing was written: the status is derived


def test_rollup_from_counts_matches_the_tasks(office: FollowupOffice) -> None:
    """The roll-up reads TaskTally; it must agree with counting the tasks themselves, and the
    counts kept by the services must agree with a recount."""
    commune = make_organisation(
        "binh-minh", "ĐU", name="Đảng ủy phường Bình Minh", level="commune", parent=office.org
    )
    child = build_followup_office(commune, prefix="y.")
    actor = system(commune)
    source = child.source(issued_on=datetime.date(2025, 1, 6))
    today = timezone.localdate()
    for days in (-400, -40, -3, 0, 1, 2, 9, 35, 200):
        child.task(source, deadline=today + datetime.timedelta(days=days), responsible=None)
    done = child.task(source, deadline=today - datetime.timedelta(days=60), responsible=None)
    progress.submit_report(
        actor, done, text="Xong", percent=100, reported_on=today - datetime.timedelta(days=50)
    )
    started = child.task(source, deadline=today + datetime.timedelta(days=90), responsible=None)
    progress.submit_report(actor, started, text="Một nửa", percent=50, reported_on=today)
    extended = child.task(source, deadline=today + datetime.timedelta(days=5), responsible=None)
    request = extensions.request_extension(
        actor, extended, reason="Lý do", requested_deadline=today + datetime.timedelta(days=70)
    )
    extensions.decide_extension(actor, request, approve=True)
    cancelled = child.task(source, deadline=today + datetime.timedelta(days=15), responsible=None)
    assignment.cancel_task(actor, cancelled, reason="Không cần")
    child.task(
        source, deadline=today - datetime.timedelta(days=20), secrecy=Clearance.TUYET_MAT, responsible=None
    )
    parent = child.task(source, deadline=today + datetime.timedelta(days=100), responsible=None)
    sub = child.task(
        source, parent=parent, weight=100, deadline=today + datetime.timedelta(days=30), responsible=None
    )
    progress.submit_report(actor, sub, text="Xong", percent=100, reported_on=today)

    kept = sorted(
        TaskTally.objects.filter(count__gt=0).values_list(
            "organisation", "month", "phase", "restricted", "count"
        )
    )
    workflow.recount()
    assert kept == sorted(
        TaskTally.objects.values_list("organisation", "month", "phase", "restricted", "count")
    )

    soon = selectors.due_soon_until(office.org, today)
    expected = selectors.status_counts(
        Task.objects.filter(organisation=commune)
        .exclude(phase="series")
        .exclude(secrecy=Clearance.TUYET_MAT),
        today,
        soon,
    )
    for criteria in (selectors.Criteria(), selectors.Criteria(year=today.year)):
        row = selectors.rollup(office.actor(office.chief), criteria, today)[0]
        if criteria.year:
            expected = selectors.status_counts(
                Task.objects.filter(organisation=commune, deadline__year=today.year)
                .exclude(phase="series")
                .exclude(secrecy=Clearance.TUYET_MAT),
                today,
                soon,
            )
        assert row.figures.counts == expected, criteria
    assert selectors.rollup(office.actor(office.chief), selectors.Criteria(), today)[0].restricted == 1
