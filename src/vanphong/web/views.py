"""The shell: home page, organisation switcher and the working-day calendar page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanphong.core import bounds, worklist
from vanphong.core.access import visible
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.deadlines import due_soon_until
from vanphong.core.tenancy import actor_of, choose_organisation
from vanphong.documents import worklist as documents_work
from vanphong.documents.numbering import document_settings
from vanphong.followup import worklist as followup_work
from vanphong.meetings import worklist as meetings_work
from vanphong.org import selectors
from vanphong.org.models import Person, Position, Unit
from vanphong.petitions import worklist as petitions_work

# What waits for a user, app by app (core.worklist): the home page lists it first.
WORK_SOURCES = [
    documents_work.waiting_for,
    meetings_work.waiting_for,
    followup_work.waiting_for,
    petitions_work.waiting_for,
]


def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    calendar = WorkingCalendar(actor.organisation)
    term = selectors.current_term(actor)
    assert actor.organisation is not None
    soon = due_soon_until(
        actor.organisation, today, document_settings(actor.organisation).due_soon_working_days
    )
    work = [(item, item.state(today, soon)) for item in worklist.gather(actor, today, WORK_SOURCES)]
    return render(
        request,
        "web/home.html",
        {
            "work": work,
            "term": term,
            "today": today,
            "is_working_day": calendar.is_working_day(today),
            "next_working_day": calendar.working_days_after(today, 1),
            "counts": {
                "people": visible(actor, Person).filter(is_active=True).count(),
                "units": visible(actor, Unit).filter(is_active=True).count(),
                "positions": visible(actor, Position).count(),
            },
        },
    )


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    if not choose_organisation(request, organisation_id):
        messages.error(request, _("You are not a member of that organisation."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target or "/")


def calendar(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    year = bounds.int_param(request.GET.get("year"), today.year, 1990, 2100)
    working = WorkingCalendar(actor.organisation)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return render(
        request,
        "web/calendar.html",
        {
            "year": year,
            "days_off": working.days_off(year),
            "make_up_days": working.extra_working_days(year),
            "working_days": working.working_days_between(start - datetime.timedelta(days=1), end),
        },
    )
