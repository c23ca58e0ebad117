"""What waits for an actor in meetings (core.worklist): meetings they are invited to, submissions to
appraise or to take up, opinions their unit is asked for."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.access import Actor, visible
from vanphong.core.worklist import WorkItem
from vanphong.meetings.models import Meeting, MeetingStatus, Opinion, Submission, SubmissionStatus
from vanphong.meetings.permissions import APPRAISE
from vanphong.org.selectors import user_units

LIMIT = 50
AHEAD = datetime.timedelta(days=30)  # meetings further ahead are on the calendar, not yet work


def _submission(submission: Submission, action: str, due: datetime.date | None = None) -> WorkItem:
    return WorkItem(
        kind=_("Submission"),
        title=submission.title,
        action=action,
        url=reverse("meetings:submission", args=[submission.pk]),
        due=due,
    )


def waiting_for(actor: Actor, today: datetime.date) -> Iterator[WorkItem]:
    if actor.user is None:
        return
    now = timezone.now()
    invited = (
        visible(actor, Meeting)
        .filter(
            invitees__person__user=actor.user,
            status__in=[MeetingStatus.PLANNED, MeetingStatus.POSTPONED],
            starts_at__gte=now,
            starts_at__lte=now + AHEAD,
        )
        .distinct()
        .order_by("starts_at")
    )
    for meeting in invited[:LIMIT]:
        start = timezone.localtime(meeting.starts_at)
        yield WorkItem(
            kind=_("Meeting"),
            title=f"{meeting.title} · {start:%d/%m/%Y %H:%M}",
            action=_("Attend"),
            url=reverse("meetings:meeting", args=[meeting.pk]),
            due=start.date(),
        )
    submissions = visible(actor, Submission)
    for submission in submissions.filter(status=SubmissionStatus.UNDER_APPRAISAL, appraiser=actor.user)[
        :LIMIT
    ]:
        yield _submission(submission, _("Appraise"))
    if actor.has_perm(APPRAISE):
        for submission in submissions.filter(status=SubmissionStatus.SUBMITTED).order_by("pk")[:LIMIT]:
            yield _submission(submission, _("Start the appraisal"))
    asked = visible(actor, Opinion).filter(answered_at__isnull=True, unit__in=user_units(actor))
    for opinion in asked.select_related("submission").order_by("due")[:LIMIT]:
        yield _submission(opinion.submission, _("Give the opinion"), opinion.due)
