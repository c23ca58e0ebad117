"""Who may prepare meetings, appraise papers, and see meetings and their papers.

- A meeting is visible to the office and the standing leaders, to the members of its body, to its
  chair and to its invitees.
- An agenda item's title and papers are visible to those who see the meeting when their clearance
  reaches the item's secrecy; the meeting list of someone below it shows the meeting, not the item.
- A submission is visible, within clearance, to the office, to its appraiser, to the people of the
  submitting unit (and whoever created it) and to units asked for their opinion on it.
- A paper is visible through its submission, or through an agenda item the actor sees as long as the
  papers have not been withdrawn after the meeting.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, Policy, declare_permissions, register_policy
from vanphong.meetings.models import (
    AgendaItem,
    Invitee,
    Meeting,
    Opinion,
    Paper,
    ScheduleEntry,
    Submission,
    WeeklySchedule,
)
from vanphong.org.models import BodyMembership, Person
from vanphong.org.selectors import user_units

MANAGE = "meetings.manage"
APPRAISE = "meetings.appraise"
SUBMIT = "meetings.submit"
APPROVE_SCHEDULE = "meetings.approve_schedule"
READ_ALL = "meetings.read_all"

OFFICE = {"clerk", "office_chief"}
declare_permissions(
    (MANAGE, _("Prepare meetings: agenda, invitations, attendance, votes, minutes"), OFFICE),
    # The office chief assigns each appraisal; the assigned appraiser then works on that submission.
    (APPRAISE, _("Assign and direct the appraisal of papers for meetings"), {"office_chief"}),
    (
        SUBMIT,
        _("Submit papers for the committee's meetings"),
        {"specialist", "committee_member", "standing_leader", *OFFICE},
    ),
    (APPROVE_SCHEDULE, _("Approve the weekly work schedule"), {"office_chief", "standing_leader"}),
    (READ_ALL, _("See every meeting of the organisation"), {*OFFICE, "standing_leader"}),
)


def acting_organisation(actor: Actor) -> Any:
    """The organisation the actor acts in (every writing service has one)."""
    assert actor.organisation is not None
    return actor.organisation


def own_people(actor: Actor) -> models.QuerySet[Any]:
    return Person.objects.filter(organisation=actor.organisation, user=actor.user).values("pk")


class MeetingPolicy(Policy):
    change_permission = MANAGE

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member:
            return queryset.none()
        scoped = queryset.filter(organisation=actor.organisation)
        if actor.system or actor.has_perm(READ_ALL):
            return scoped
        people = own_people(actor)
        member = BodyMembership.objects.filter(body=OuterRef("body"), person__in=people)
        invited = Invitee.objects.filter(meeting=OuterRef("pk"), person__in=people)
        return scoped.filter(Q(chair__in=people) | Exists(member) | Exists(invited))


class AgendaItemPolicy(Policy):
    change_permission = MANAGE

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        meetings = MeetingPolicy().visible(actor, Meeting.objects.all()).values("pk")
        return queryset.filter(meeting__in=meetings, secrecy__lte=actor.clearance)


class SubmissionPolicy(Policy):
    change_permission = SUBMIT

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member:
            return queryset.none()
        scoped = queryset.filter(organisation=actor.organisation, secrecy__lte=actor.clearance)
        if actor.system or actor.has_perm(READ_ALL) or actor.has_perm(APPRAISE):
            return scoped
        asked = Opinion.objects.filter(submission=OuterRef("pk"), unit__in=user_units(actor))
        return scoped.filter(
            Q(created_by=actor.user) | Q(appraiser=actor.user) | Q(unit__in=user_units(actor)) | Exists(asked)
        )

    def can_change(self, actor: Actor, obj: Any) -> bool:
        # A submission is changed by its unit (whoever created it, or its people) and by the office.
        units = {row["unit"] for row in user_units(actor)}
        return super().can_change(actor, obj) and (
            actor.system
            or actor.has_perm(MANAGE)
            or obj.created_by_id == getattr(actor.user, "pk", None)
            or obj.unit_id in units
        )


class OpinionPolicy(Policy):
    """An opinion request is visible exactly when its submission is."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.filter(
            submission__in=SubmissionPolicy().visible(actor, Submission.objects.all()).values("pk")
        )


class PaperPolicy(Policy):
    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        submissions = SubmissionPolicy().visible(actor, Submission.objects.all()).values("pk")
        items = AgendaItemPolicy().visible(actor, AgendaItem.objects.all())
        if not (actor.system or actor.has_perm(MANAGE)):
            items = items.filter(meeting__papers_withdrawn=False)
        return queryset.filter(
            Q(version__submission__in=submissions)
            | Q(version__submission__agenda_item__in=items.values("pk"))
        )


class SchedulePolicy(Policy):
    """The weekly schedule is published to the whole organisation; drafts are the office's."""

    change_permission = MANAGE

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        scoped = super().visible(actor, queryset)
        if actor.system or actor.has_perm(MANAGE) or actor.has_perm(APPROVE_SCHEDULE):
            return scoped
        field = "status" if queryset.model is WeeklySchedule else "schedule__status"
        return scoped.filter(**{field: "published"})


def is_appraiser(actor: Actor, submission: Submission) -> bool:
    """The assigned appraiser, or whoever directs appraisals."""
    return (
        actor.system
        or actor.has_perm(APPRAISE)
        or (
            submission.appraiser_id is not None and submission.appraiser_id == getattr(actor.user, "pk", None)
        )
    )


def may_answer(actor: Actor, opinion: Opinion) -> bool:
    """An opinion is given by the unit asked (its people), or by the office on its behalf."""
    units = {row["unit"] for row in user_units(actor)}
    return actor.system or actor.has_perm(MANAGE) or opinion.unit_id in units


register_policy(Meeting, MeetingPolicy())
register_policy(AgendaItem, AgendaItemPolicy())
register_policy(Submission, SubmissionPolicy())
register_policy(Paper, PaperPolicy())
register_policy(Opinion, OpinionPolicy())
register_policy(WeeklySchedule, SchedulePolicy())
register_policy(ScheduleEntry, SchedulePolicy())
