"""/api/v1/meetings/ with real tokens: the same access rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from vanphong.accounts.tokens import create_token
from vanphong.meetings import sessions
from vanphong.meetings.models import Attendance, MeetingKind

pytestmark = pytest.mark.django_db
API = "/api/v1/meetings/"


def _get(user, organisation, path=""):
    _token, key = create_token(by=None, user=user, organisation=organisation, name="test")
    return Client().get(API + path, headers={"Authorization": f"Bearer {key}"})


def test_the_list_holds_the_meetings_the_user_may_see(committee):
    btv = committee.meeting()
    private = committee.meeting(days=3, kind=MeetingKind.WORKING, body=None, title="Làm việc riêng")
    member = _get(committee.member, committee.org)
    assert member.status_code == 200
    assert [m["id"] for m in member.json()] == [btv.pk]
    assert {m["id"] for m in _get(committee.clerk, committee.org).json()} == {btv.pk, private.pk}
    assert _get(committee.outsider, committee.org).json() == []
    assert _get(committee.member, committee.org, f"{private.pk}").status_code == 404


def test_a_restricted_item_gives_nothing_but_its_place(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    open_item = sessions.add_item(clerk, meeting, title="Báo cáo kinh tế")
    secret = sessions.add_item(clerk, meeting, title="Phương án nhân sự", secrecy=2)
    committee.open(meeting)
    sessions.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:6]}
    )
    sessions.record_vote(
        clerk, open_item, question="Thông qua", ballot="open", votes_for=6, votes_against=0, abstentions=0
    )
    sessions.record_vote(
        clerk, secret, question="Nhân sự A", ballot="secret", votes_for=5, votes_against=1, abstentions=0
    )
    body = _get(committee.member, committee.org, f"{meeting.pk}").json()
    assert [(i["restricted"], i["title"]) for i in body["items"]] == [(False, "Báo cáo kinh tế"), (True, "")]
    assert body["items"][1]["votes"] == [] and "Nhân sự" not in str(body)
    assert body["items"][0]["votes"][0]["passed"] is True
    assert (body["members"], body["present"], body["quorum_met"]) == (9, 6, True)
    full = _get(committee.secretary, committee.org, f"{meeting.pk}").json()
    assert full["items"][1]["title"] == "Phương án nhân sự"


def test_a_vote_without_quorum_is_not_passed_in_the_api(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Báo cáo kinh tế")
    committee.open(meeting)
    sessions.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:5]}
    )
    sessions.record_vote(
        clerk, item, question="Thông qua", ballot="open", votes_for=5, votes_against=0, abstentions=0
    )
    body = _get(committee.member, committee.org, f"{meeting.pk}").json()
    assert body["quorum_met"] is False
    vote = body["items"][0]["votes"][0]
    assert (vote["passed"], vote["quorum_met"]) == (False, False)


def test_the_api_needs_a_token(committee):
    assert Client().get(API).status_code == 401
