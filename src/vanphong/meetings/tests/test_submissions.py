"""Submissions and their appraisal, and their place on a meeting's agenda."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vanphong.core.models import AuditEvent
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.meetings import submissions
from vanphong.meetings.models import (
    AgendaItem,
    Submission,
    SubmissionStatus,
)
from vanphong.meetings.workflow import SUBMISSIONS

pytestmark = pytest.mark.django_db


def test_submission_goes_through_appraisal_with_versions_and_an_audited_trail(committee):
    unit = committee.actor(committee.specialist)
    chief = committee.actor(committee.chief)
    submission = committee.submission()
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.versions.get().papers.count() == 1
    submissions.submit(unit, submission)
    submissions.start_appraisal(chief, submission, appraiser=committee.chief)
    opinions = submissions.request_opinions(chief, submission, units=[committee.propaganda_unit], days=3)
    assert opinions[0].due > timezone.localdate()
    submissions.answer_opinion(
        committee.actor(committee.outsider), opinions[0], text="Nhất trí với tờ trình."
    )
    submissions.appraise(chief, submission, recommendation="revise", text="Bổ sung số liệu quý III.")
    assert submission.status == SubmissionStatus.RETURNED
    # The unit revises: a second version; the first is kept.
    submission.summary = "Đã bổ sung số liệu."
    submissions.save_submission(
        unit, submission, files=[("to-trinh-v2.pdf", pdf_bytes("v2"))], note="Bổ sung số liệu"
    )
    assert list(submission.versions.values_list("number", flat=True)) == [1, 2]
    submissions.submit(unit, submission)
    submissions.start_appraisal(chief, submission, appraiser=committee.chief)
    submissions.appraise(chief, submission, recommendation="ready", text="Đủ điều kiện trình.")
    assert submission.status == SubmissionStatus.READY
    actions = list(
        AuditEvent.objects.filter(object_type="meetings.Submission", object_id=str(submission.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "submission.created",
        "submission.submit",
        "submission.start_appraisal",
        "submission.opinions_requested",
        "opinion.answered",
        "submission.return",
        "submission.updated",
        "submission.submit",
        "submission.start_appraisal",
        "submission.ready",
    ]


def test_transitions_outside_the_workflow_are_refused(committee):
    submission = committee.submission()
    chief = committee.actor(committee.chief)
    with pytest.raises(ValidationError):
        submissions.appraise(chief, submission, recommendation="ready", text="x")
    with pytest.raises(ValidationError):
        submissions.schedule(chief, submission, committee.meeting())
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_not_in_competence_is_a_final_answer(committee):
    submission = committee.submission()
    submissions.submit(committee.actor(committee.specialist), submission)
    chief = committee.actor(committee.chief)
    submissions.start_appraisal(chief, submission, appraiser=committee.chief)
    submissions.appraise(
        chief, submission, recommendation="not_competent", text="Thuộc thẩm quyền UBND tỉnh."
    )
    assert submission.status == SubmissionStatus.DECLINED
    assert SUBMISSIONS.actions_for(chief, submission) == []


def test_a_submission_needs_files_and_a_unit_of_the_organisation(committee, org_b):
    from vanphong.testing import make_unit

    with pytest.raises(ValidationError) as error:
        submissions.save_submission(
            committee.actor(committee.specialist),
            Submission(title="Đề án", kind="de_an", unit=make_unit(org_b, "Ban khác"), body=committee.btv),
        )
    assert set(error.value.error_dict) == {"unit", "files"}
    assert not Submission.objects.exists()


def test_scheduling_puts_the_paper_on_the_agenda_and_checks_the_paper_deadline(committee):
    submission = committee.ready()
    clerk = committee.actor(committee.clerk)
    # Papers are due three working days before (the default rule); a meeting tomorrow is too close.
    soon = committee.meeting(days=1)
    with pytest.raises(ValidationError, match="hãy xác nhận"):
        submissions.schedule(clerk, submission, soon)
    item = submissions.schedule(clerk, submission, soon, accept_late=True)
    assert item.title == submission.title and item.order == 1
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SCHEDULED


def test_a_submission_cannot_be_scheduled_onto_a_meeting_that_took_place(committee):
    submission = committee.ready()
    past = committee.meeting(days=-3)
    with pytest.raises(ValidationError, match="đã diễn ra"):
        submissions.schedule(committee.actor(committee.clerk), submission, past, accept_late=True)
    assert not AgendaItem.objects.exists()
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.READY
