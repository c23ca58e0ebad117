"""Cancelling never reaches sub-tasks the actor may not see; out-of-range numbers are refused, not a 500."""

from __future__ import annotations

import datetime

import pytest

from vanphong.followup import assignment, progress, sources
from vanphong.followup.models import Task
from vanphong.testing import system

pytestmark = pytest.mark.django_db


def test_cancelling_a_task_stops_at_a_restricted_sub_task(office, client_for):
    parent = office.task(deadline=datetime.date(2026, 12, 31))
    hidden = assignment.create_task(
        system(office.org),
        parent.source,
        parent=parent,
        content="Nhiệm vụ con tuyệt mật",
        lead_unit=office.propaganda,
        secrecy=3,
        weight=50,
        deadline=datetime.date(2026, 12, 1),
    )
    client = client_for(office.chief)
    assert "Nhiệm vụ con tuyệt mật" not in client.get(f"/followup/tasks/{parent.pk}/").content.decode()
    page = client.post(f"/followup/tasks/{parent.pk}/cancel/", {"reason": "Không còn cần thiết"}, follow=True)
    assert "thuộc diện hạn chế" in page.content.decode()
    assert Task.objects.get(pk=hidden.pk).cancelled_on is None
    assert Task.objects.get(pk=parent.pk).cancelled_on is None


@pytest.mark.parametrize("year", ["-5", "99999"])
def test_a_source_with_an_impossible_year_is_refused(office, client_for, year):
    response = client_for(office.chief).post(
        "/followup/sources/", {"kind": "work_programme", "title": "Chương trình công tác", "year": year}
    )
    assert response.status_code == 200
    with pytest.raises(Exception, match="năm"):
        sources.create_source(system(office.org), kind="work_programme", title="Chương trình", year=int(year))


def test_a_huge_number_of_working_days_is_refused(office):
    source = office.task().source
    with pytest.raises(Exception, match="từ 1 đến 2500"):
        assignment.create_task(
            system(office.org),
            source,
            content="Báo cáo",
            lead_unit=office.propaganda,
            deadline_days=3_000_000,
        )


def test_a_product_file_is_downloaded_without_being_cached_or_sniffed(office, client_for):
    from django.urls import reverse

    from vanphong.documents.tests.conftest import pdf_bytes
    from vanphong.followup.models import ReportFile

    task = office.task(deadline=datetime.date(2026, 12, 31))
    progress.submit_report(
        system(office.org), task, text="Đã xong dự thảo", percent=50, files=[("du-thao.pdf", pdf_bytes())]
    )
    response = client_for(office.chief).get(
        reverse("followup:report_file", args=[ReportFile.objects.get().pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
