from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from vanphong.accounts.models import User
from vanphong.accounts.tokens import create_token
from vanphong.core.models import Clearance
from vanphong.followup.models import ProgressReport
from vanphong.followup.tests.conftest import MONDAY, FollowupOffice
from vanphong.testing import make_organisation, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/followup"


def call(office: FollowupOffice, user: User, method: str, path: str, **data: Any) -> Any:
    _token, key = create_token(by=None, user=user, organisation=office.org, name="test")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    if method == "get":
        return client.get(API + path, data)
    return client.post(API + path, data, content_type="application/json")


def test_tasks_and_status_as_the_pages_show_them(office: FollowupOffice) -> None:
    mine = office.task(deadline=MONDAY + datetime.timedelta(days=1), responsible=None)
    later = timezone.localdate() + datetime.timedelta(days=60)
    other = office.task(lead_unit=office.propaganda, responsible=None, deadline=later)
    office.task(secrecy=Clearance.TUYET_MAT, lead_unit=office.office, responsible=None)
    body = call(office, office.board_officer, "get", "/tasks").json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    assert body["items"][0]["status"] == "overdue"  # its deadline passed long ago
    assert call(office, office.board_officer, "get", f"/tasks/{other.pk}").status_code == 404
    summary = call(office, office.chief, "get", "/summary").json()
    assert summary["counts"]["overdue"] == 1 and summary["total"] == 2 and summary["restricted"] == 1
    assert call(office, office.chief, "get", "/tasks", status="overdue").json()["count"] == 1


def test_report_through_the_api_with_the_same_checks(office: FollowupOffice) -> None:
    task = office.task()
    response = call(
        office, office.board_officer, "post", f"/tasks/{task.pk}/reports", text="Đã làm", percent=120
    )
    assert response.status_code == 422 and "percent" in response.json()["errors"]
    assert not ProgressReport.objects.exists()
    response = call(
        office, office.propaganda_officer, "post", f"/tasks/{task.pk}/reports", text="x", percent=10
    )
    assert response.status_code == 404  # not a task of theirs to see
    response = call(office, office.member, "post", f"/tasks/{task.pk}/reports", text="Đã làm", percent=30)
    assert response.status_code == 403  # monitors it, does not report on it
    response = call(
        office, office.board_officer, "post", f"/tasks/{task.pk}/reports", text="Đã làm", percent=30
    )
    assert response.status_code == 201 and response.json()["state"] == "pending"


def test_no_token_no_tasks_and_other_organisations_not_found(office: FollowupOffice) -> None:
    task = office.task()
    assert Client().get(f"{API}/tasks").status_code == 401
    other = make_organisation("lam-ha", "TU", name="Tỉnh ủy Lâm Hà")
    stranger = make_user(other, "quantri_b", roles=["office_chief"], clearance=3)
    _token, key = create_token(by=None, user=stranger, organisation=other, name="b")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get(f"{API}/tasks/{task.pk}").status_code == 404
    assert client.get(f"{API}/tasks", {"unit": office.board.pk}).status_code == 404


def test_a_task_reads_the_same_in_the_list_and_by_its_id(office: FollowupOffice) -> None:
    parent = office.task(deadline=MONDAY + datetime.timedelta(days=40))
    sub = office.task(parent.source, parent=parent, weight=100, content="Khảo sát thực trạng")
    listed = {item["id"]: item for item in call(office, office.chief, "get", "/tasks").json()["items"]}
    for item in (listed[sub.pk], call(office, office.chief, "get", f"/tasks/{sub.pk}").json()):
        assert item["source"] == parent.source_id and item["parent"] == parent.pk
        assert item["source_title"] == str(parent.source) and item["lead_unit"] == office.board.name
        assert item["responsible"] == str(office.member_person)
    assert listed[parent.pk]["parent"] is None
    report = call(office, office.board_officer, "post", f"/tasks/{sub.pk}/reports", text="Đã làm", percent=30)
    assert report.status_code == 201 and report.json()["task"] == sub.pk
