"""Meetings and submissions in the one search box: found by their words, only by those who may see them."""

from __future__ import annotations

import pytest

from vanphong.core.access import visible
from vanphong.meetings import sessions
from vanphong.meetings.models import AgendaItem, Meeting, MeetingKind, Submission
from vanphong.meetings.tests.conftest import Committee
from vanphong.search import services as search

pytestmark = pytest.mark.django_db


def _found(committee: Committee, user, text: str, kind: str) -> set[int]:
    results = search.search(committee.actor(user), text, per_page=100)
    return {r.object_id for r in results.results if r.kind == kind}


def test_search_finds_meetings_and_submissions_exactly_as_their_pages_allow(committee):
    clerk = committee.actor(committee.clerk)
    btv = committee.meeting(title="Hội nghị Ban Thường vụ về chuyển đổi số")
    private = committee.meeting(
        days=3, kind=MeetingKind.WORKING, body=None, title="Làm việc về chuyển đổi số với Sở"
    )
    sessions.add_item(clerk, btv, title="Đề án chuyển đổi số giai đoạn 2026–2030")
    sessions.add_item(clerk, btv, title="Nhân sự chuyển đổi số mật", secrecy=2)
    open_paper = committee.submission(title="Tờ trình về chuyển đổi số")
    secret_paper = committee.submission(title="Tờ trình mật về chuyển đổi số", secrecy=1)
    users = [
        committee.member,
        committee.clerk,
        committee.chief,
        committee.secretary,
        committee.specialist,
        committee.outsider,
    ]
    for user in users:
        actor = committee.actor(user)
        assert _found(committee, user, "chuyen doi so", "meeting") == set(
            visible(actor, Meeting).values_list("pk", flat=True)
        ), user
        assert _found(committee, user, "chuyen doi so", "agenda_item") == set(
            visible(actor, AgendaItem).filter(secrecy__gt=0).values_list("pk", flat=True)
        ), user
        assert _found(committee, user, "chuyen doi so", "submission") == set(
            visible(actor, Submission).values_list("pk", flat=True)
        ), user
    assert _found(committee, committee.member, "chuyen doi so", "meeting") == {btv.pk}
    assert _found(committee, committee.outsider, "chuyen doi so", "submission") == set()
    assert _found(committee, committee.specialist, "chuyen doi so", "submission") == {
        open_paper.pk,
        secret_paper.pk,
    }
    assert private.pk in _found(committee, committee.clerk, "chuyen doi so", "meeting")


def test_a_secret_item_title_is_not_searchable_through_its_meeting(committee):
    clerk = committee.actor(committee.clerk)
    meeting = committee.meeting()
    sessions.add_item(clerk, meeting, title="Phương án nhân sự khóa mới", secrecy=2)
    assert _found(committee, committee.member, "phuong an nhan su", "meeting") == set()
    # It is an entry of its own, for those who see the meeting and are cleared for it.
    item = meeting.items.get()
    assert _found(committee, committee.member, "phuong an nhan su", "agenda_item") == set()
    assert _found(committee, committee.secretary, "phuong an nhan su", "agenda_item") == {item.pk}
    assert _found(committee, committee.clerk, "phuong an nhan su", "agenda_item") == {item.pk}
    assert _found(committee, committee.outsider, "phuong an nhan su", "agenda_item") == set()
    # An invitation added later reaches the invitee through the index too (re-indexed with the meeting).
    other = committee.meeting(
        days=4, kind=MeetingKind.WORKING, body=None, title="Làm việc với Ban Tuyên giáo"
    )
    assert _found(committee, committee.member, "ban tuyen giao", "meeting") == set()
    sessions.invite(clerk, other, person=committee.members[1])
    assert _found(committee, committee.member, "ban tuyen giao", "meeting") == {other.pk}
