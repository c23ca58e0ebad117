"""The weekly work schedule, the personal calendar feed and the statistics."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanphong.accounts.services import may_act
from vanphong.core.access import Actor, access_object, access_object_for_change, require, visible
from vanphong.core.pages import run, show_errors
from vanphong.core.tenancy import actor_of
from vanphong.meetings import ical, selectors
from vanphong.meetings import schedule as weekly
from vanphong.meetings.forms import (
    EntryForm,
    PeriodForm,
)
from vanphong.meetings.models import (
    CalendarFeed,
    ScheduleEntry,
    WeeklySchedule,
)
from vanphong.meetings.permissions import APPROVE_SCHEDULE, MANAGE, READ_ALL
from vanphong.meetings.views import day_param


def schedule_week(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    monday = weekly.monday_of(day_param(request.GET.get("week")))
    if request.method == "POST":
        schedule = None
        if run(
            request,
            lambda: weekly.start_week(actor, monday),
            _("The week's schedule is started from the planned meetings."),
        ):
            schedule = WeeklySchedule.objects.get(organisation=actor.organisation, week_start=monday)
        return (
            redirect(f"{reverse('meetings:schedule')}?week={monday.isoformat()}")
            if schedule is None
            else redirect("meetings:schedule_detail", pk=schedule.pk)
        )
    schedule = visible(actor, WeeklySchedule).filter(week_start=monday).first()
    if schedule is not None:
        return redirect("meetings:schedule_detail", pk=schedule.pk)
    return render(
        request,
        "meetings/schedule.html",
        {
            "monday": monday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "can_manage": actor.has_perm(MANAGE),
        },
    )


def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    schedule = access_object(actor, WeeklySchedule, pk)
    monday = schedule.week_start
    entries = schedule.entries.select_related("meeting")
    context = {
        "schedule": schedule,
        "monday": monday,
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "days": [
            (
                monday + datetime.timedelta(days=n),
                [e for e in entries if e.day == monday + datetime.timedelta(days=n)],
            )
            for n in range(7)
        ],
        "can_manage": actor.has_perm(MANAGE),
        "can_approve": actor.has_perm(APPROVE_SCHEDULE),
        "entry_form": EntryForm(initial={"day": monday}, actor=actor) if actor.has_perm(MANAGE) else None,
    }
    template = "meetings/schedule_print.html" if request.GET.get("print") else "meetings/schedule.html"
    return render(request, template, context)


@require_POST
def schedule_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an entry to a schedule (pk: the schedule), or change one with ?entry=id."""
    actor = actor_of(request)
    schedule = access_object_for_change(actor, WeeklySchedule, pk)
    entry_id = request.POST.get("entry")
    entry = (
        access_object(actor, ScheduleEntry.objects.filter(schedule=schedule), entry_id)
        if entry_id
        else ScheduleEntry(schedule=schedule, organisation=schedule.organisation)
    )
    form = EntryForm(request.POST, instance=entry, actor=actor)
    if form.is_valid():
        run(request, lambda: weekly.save_entry(actor, form.save(commit=False)), _("Saved."))
    else:
        show_errors(request, form)
    return redirect("meetings:schedule_detail", pk=schedule.pk)


@require_POST
def schedule_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    schedule = access_object(actor, WeeklySchedule, pk)
    if action == "approve":
        run(request, lambda: weekly.approve_schedule(actor, schedule), _("Approved."))
    elif action == "publish":
        run(request, lambda: weekly.publish_schedule(actor, schedule), _("Published."))
    else:
        raise Http404
    return redirect("meetings:schedule_detail", pk=schedule.pk)


# -- personal calendar feed -------------------------------------------------------------------------


@require_POST
def feed_manage(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.POST.get("action") == "revoke":
        ical.revoke_feed(actor)
        messages.success(request, _("The calendar address no longer works."))
        return redirect("meetings:list")
    token = ical.renew_feed(actor)
    url = request.build_absolute_uri(reverse("meetings:ical", args=[token]))
    messages.success(request, _("Your personal calendar address (keep it secret): %(url)s") % {"url": url})
    return redirect("meetings:list")


@login_not_required
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = (
        CalendarFeed.objects.filter(token_hash=ical.feed_hash(token))
        .select_related("membership__user", "membership__organisation")
        .first()
    )
    if feed is None or not may_act(feed.membership):
        raise Http404
    actor = Actor.for_membership(feed.membership)
    return HttpResponse(
        ical.build_feed(actor, request.get_host()), content_type="text/calendar; charset=utf-8"
    )


# -- statistics ------------------------------------------------------------------------------------


def statistics(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, READ_ALL)
    form = PeriodForm(request.GET or None, actor=actor)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    if form.is_valid():
        term = form.cleaned_data["term"]
        if term is not None:
            start, end = term.start_date, term.end_date or today
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    stats = selectors.statistics(actor, start, end)
    return render(request, "meetings/statistics.html", {"form": form, "stats": stats})
