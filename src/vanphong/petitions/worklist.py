"""What waits for an actor in citizen reception (core.worklist): petitions to classify within the
intake period, and the cases they are named to handle, to conclude and answer within the legal periods."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from vanphong.core.access import Actor, visible
from vanphong.core.worklist import WorkItem
from vanphong.petitions.models import Petition, State
from vanphong.petitions.permissions import PROCESS, VIEW

LIMIT = 50


def _petition(petition: Petition, action: str, due: datetime.date | None) -> WorkItem:
    return WorkItem(
        kind=_("Petition"),
        title=" · ".join(
            (petition.reference, petition.get_kind_display(), Truncator(petition.summary).chars(120))
        ),
        action=action,
        url=reverse("petitions:petition", args=[petition.pk]),
        due=due,
    )


def waiting_for(actor: Actor, today: datetime.date) -> Iterator[WorkItem]:
    if actor.user is None or not actor.has_perm(VIEW):
        return
    petitions = visible(actor, Petition)
    if actor.has_perm(PROCESS):
        for petition in petitions.filter(state=State.RECEIVED).order_by("acceptance_deadline")[:LIMIT]:
            yield _petition(petition, _("Classify: accept, transfer or file"), petition.acceptance_deadline)
    handled = petitions.filter(handlers__user=actor.user).distinct()
    for petition in handled.filter(state__in=[State.ACCEPTED, State.VERIFYING]).order_by(
        "resolution_deadline"
    )[:LIMIT]:
        yield _petition(petition, _("Verify and conclude"), petition.resolution_deadline)
    for petition in handled.filter(state=State.CONCLUDED).order_by("resolution_deadline")[:LIMIT]:
        yield _petition(petition, _("Answer the sender"), petition.resolution_deadline)
