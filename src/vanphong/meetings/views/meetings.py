"""Meetings: the calendars, the meeting page (the paperless meeting room) and its actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from vanphong.core.access import Actor, access_object, access_object_for_change, require, visible
from vanphong.core.downloads import stored_file_response
from vanphong.core.pages import errors_to_form, run
from vanphong.core.tenancy import actor_of
from vanphong.meetings import drafting, rules, selectors, sessions, submissions
from vanphong.meetings.forms import (
    CancelForm,
    ConclusionForm,
    InviteForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    PostponeForm,
    RescheduleForm,
    VoteForm,
)
from vanphong.meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    Paper,
)
from vanphong.meetings.permissions import MANAGE
from vanphong.meetings.views import PAGE_SIZE, day_param, invalid
from vanphong.meetings.workflow import MEETINGS


def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    view = request.GET.get("view", "month")
    day = day_param(request.GET.get("date"))
    context: dict[str, Any] = {
        "view": view,
        "day": day,
        "can_manage": actor.has_perm(MANAGE),
        "today": timezone.localdate(),
        "weekday_names": [WEEKDAYS_ABBR[n] for n in range(7)],
        "feed": CalendarFeed.objects.filter(membership=actor.membership).first()
        if actor.membership
        else None,
    }
    if view == "week":
        monday = day - datetime.timedelta(days=day.weekday())
        context.update(
            week=selectors.week_days(actor, day),
            previous=monday - datetime.timedelta(days=7),
            next=monday + datetime.timedelta(days=7),
        )
    elif view == "list":
        meetings = visible(actor, Meeting).select_related("body", "chair").order_by("-starts_at")
        context["page"] = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        context["month"] = selectors.month_grid(actor, day)
    return render(request, "meetings/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    require(actor, MANAGE)
    meeting = access_object_for_change(actor, Meeting, pk) if pk else Meeting(organisation=actor.organisation)
    form = MeetingForm(request.POST or None, instance=meeting, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            saved = sessions.save_meeting(actor, form.save(commit=False))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("meetings:meeting", pk=saved.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting if pk else None})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page, and the paperless meeting room: agenda with each item's papers on screen.
    It offers exactly what the workflow allows the user in the meeting's state now."""
    return _meeting_page(request, pk)


def _meeting_page(
    request: HttpRequest, pk: int, typed: dict[tuple[int, str], Any] | None = None
) -> HttpResponse:
    """The meeting page; `typed` holds an item's vote or conclusion form sent back as typed with its
    errors, by (item, "vote" or "conclusion")."""
    typed = typed or {}
    actor = actor_of(request)
    meeting = access_object(actor, Meeting.objects.select_related("body", "chair"), pk)
    actions = {transition.action: transition for transition in MEETINGS.actions_for(actor, meeting)}
    items = selectors.agenda(actor, meeting)
    by_version: dict[int, list[Paper]] = {}
    for paper in visible(actor, Paper).filter(version__submission__agenda_item__meeting=meeting):
        by_version.setdefault(paper.version_id, []).append(paper)
    shown = []
    # The units and people offered in every item's conclusion form, read once for the page.
    choices: dict[str, Any] = {}
    for view in items:
        version = view.item.submission.current_version if view.item.submission and not view.hidden else None
        vote_form, conclusion_form = None, None
        if "vote" in actions and not view.hidden:
            vote_form = typed.get((view.item.pk, "vote")) or VoteForm(prefix=_prefix(view.item), actor=actor)
        if "conclusion" in actions and not view.hidden:
            conclusion_form = typed.get((view.item.pk, "conclusion")) or ConclusionForm(
                actor=actor, prefix=_prefix(view.item)
            )
            for name in ("lead_unit", "responsible"):
                field = cast(Any, conclusion_form.fields[name])
                if name not in choices:
                    choices[name] = list(field.choices)
                field.choices = choices[name]
        shown.append((view, by_version.get(version.pk, []) if version else [], vote_form, conclusion_form))
    manage = actor.has_perm(MANAGE)
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    forms: dict[str, Any] = {
        "item_added": lambda: ItemForm(actor=actor),
        "invited": lambda: InviteForm(actor=actor),
        "held": lambda: MinutesForm(initial={"minutes": meeting.minutes}, actor=actor),
        "postponed": lambda: PostponeForm(actor=actor, initial={"starts_at": start, "ends_at": end}),
        "rescheduled": lambda: RescheduleForm(actor=actor, initial={"starts_at": start, "ends_at": end}),
        "cancelled": lambda: CancelForm(actor=actor),
    }
    made = {action: make() for action, make in forms.items() if action in actions}
    context = {
        "meeting": meeting,
        "items": shown,
        "actions": actions,
        "forms": made,
        # The actions taken by a button alone, and the changes of its time or state that take a form.
        "buttons": [t for t in actions.values() if t.action in BUTTONS],
        "changes": [(t, made[t.action]) for t in actions.values() if t.action in CHANGES],
        "can_manage": manage,
        "quorum": rules.quorum(meeting),
        "conflicts": rules.conflicts(meeting) if manage else [],
        "papers_due": rules.papers_due(meeting),
        "invitees": meeting.invitees.select_related("person"),
        "attendance_choices": Attendance.choices,
        # The minutes may speak of every item: they are for those cleared for the most secret one.
        "show_minutes": actor.clearance >= max((view.item.secrecy for view in items), default=0),
    }
    return render(request, "meetings/meeting_detail.html", context, status=422 if typed else 200)


BUTTONS = ("opened", "invitation", "minutes", "notice", "papers_withdrawn")
CHANGES = ("postponed", "rescheduled", "cancelled")


def _prefix(item: AgendaItem) -> str:
    """Each agenda item's vote and conclusion forms have their own field names and ids."""
    return f"item{item.pk}"


def _managed_meeting(request: HttpRequest, pk: int) -> tuple[Actor, Meeting]:
    actor = actor_of(request)
    return actor, access_object_for_change(actor, Meeting, pk)


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:meeting", args=[meeting.pk]) + anchor)


@require_POST
def meeting_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor, meeting = _managed_meeting(request, pk)
    form = ItemForm(request.POST, actor=actor)
    if not form.is_valid():
        messages.error(request, _("Enter the title of the agenda item."))
    else:
        run(
            request, lambda: sessions.add_item(actor, meeting, **form.cleaned_data), _("Added to the agenda.")
        )
    return _back(meeting, "#agenda")


@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    actor, meeting = _managed_meeting(request, pk)
    form = InviteForm(request.POST, actor=actor)
    if not form.is_valid():
        messages.error(request, _("The selected item does not exist."))
    else:
        run(request, lambda: sessions.invite(actor, meeting, **form.cleaned_data), _("Invited."))
    return _back(meeting, "#invitees")


@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    actor, meeting = _managed_meeting(request, pk)
    marks = {}
    for invitee in meeting.invitees.all():
        status = request.POST.get(f"attendance-{invitee.pk}")
        if status is not None:
            marks[invitee.pk] = (status, request.POST.get(f"reason-{invitee.pk}", ""))
    run(request, lambda: sessions.record_attendance(actor, meeting, marks), _("Attendance recorded."))
    return _back(meeting, "#invitees")


def _managed_item(request: HttpRequest, pk: int) -> tuple[Actor, AgendaItem]:
    actor = actor_of(request)
    require(actor, MANAGE)
    return actor, access_object(actor, AgendaItem.objects.select_related("meeting"), pk)


def _item_action(
    request: HttpRequest, pk: int, kind: str, form_class: Any, record: Any, done: str
) -> HttpResponse:
    """Record an item's vote or conclusion; refused, the meeting page again with the item's form as
    typed, open, and each error under its field."""
    actor, item = _managed_item(request, pk)
    form = form_class(request.POST, prefix=_prefix(item), actor=actor)
    if form.is_valid():
        try:
            record(actor, item, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, done)
            return _back(item.meeting, f"#item-{item.pk}")
    return _meeting_page(request, item.meeting_id, {(item.pk, kind): form})


@require_POST
def item_vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(request, pk, "vote", VoteForm, sessions.record_vote, _("Vote recorded."))


@require_POST
def item_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request, pk, "conclusion", ConclusionForm, sessions.add_conclusion, _("Conclusion recorded.")
    )


@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the meeting's workflow actions (its name is the address's last part)."""
    actor, meeting = _managed_meeting(request, pk)
    if action in DOCUMENT_MAKERS:
        maker, message = DOCUMENT_MAKERS[action]
        result: list[Any] = []
        if run(request, lambda: result.append(maker(actor, meeting)), message):
            return redirect("documents:outgoing", pk=result[0].pk)
        return _back(meeting)
    if action not in MEETING_ACTIONS:
        raise Http404
    form_class, call, done = MEETING_ACTIONS[action]
    form = form_class(request.POST, actor=actor) if form_class is not None else None
    run(
        request,
        lambda: invalid(form) if form is not None and not form.is_valid() else call(actor, meeting, form),
        str(done),
    )
    return _back(meeting)


def _cleaned(form: Any) -> dict[str, Any]:
    return dict(form.cleaned_data)


# The meeting's transitions: the form they read (if any), the service, what is said once done.
MEETING_ACTIONS: dict[str, tuple[Any, Callable[[Actor, Meeting, Any], Any], Promise]] = {
    "opened": (
        None,
        lambda actor, m, _f: sessions.open_session(actor, m),
        gettext_lazy("The session is open."),
    ),
    "held": (
        MinutesForm,
        lambda actor, m, f: sessions.close_meeting(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is recorded as held."),
    ),
    "postponed": (
        PostponeForm,
        lambda actor, m, f: sessions.postpone(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is postponed."),
    ),
    "rescheduled": (
        RescheduleForm,
        lambda actor, m, f: sessions.reschedule(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is planned again."),
    ),
    "cancelled": (
        CancelForm,
        lambda actor, m, f: sessions.cancel_meeting(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is cancelled."),
    ),
    "papers_withdrawn": (
        None,
        lambda actor, m, _f: sessions.withdraw_papers(actor, m),
        gettext_lazy("The papers are withdrawn from the members' screens."),
    ),
}

DOCUMENT_MAKERS: dict[str, tuple[Callable[[Actor, Meeting], Any], str]] = {
    "invitation": (drafting.make_invitation, "Giấy mời"),
    "notice": (drafting.make_notice, "Thông báo kết luận"),
    "minutes": (drafting.make_minutes_document, "Biên bản"),
}


def paper_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper on screen (PDF and images inline); every opening is logged."""
    actor = actor_of(request)
    paper = access_object(actor, Paper.objects.select_related("version"), pk)
    return stored_file_response(paper, submissions.open_paper(actor, paper))
