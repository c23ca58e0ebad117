"""Pages of the meetings module: submissions and appraisal, meetings and the paperless meeting room,
calendars, the weekly schedule, the personal calendar feed and statistics."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
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

from vanphong.accounts.services import may_act
from vanphong.core import bounds
from vanphong.core.access import Actor, access_object, access_object_for_change, require, visible
from vanphong.core.downloads import stored_file_response
from vanphong.core.forms import uploaded
from vanphong.core.models import AuditEvent
from vanphong.core.pages import errors_to_form, run, show_errors
from vanphong.core.tenancy import actor_of
from vanphong.meetings import ical, selectors, services
from vanphong.meetings.forms import (
    AppraisalForm,
    AppraiserForm,
    CancelForm,
    ConclusionForm,
    EntryForm,
    InviteForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    OpinionForm,
    OpinionRequestForm,
    PeriodForm,
    PostponeForm,
    RescheduleForm,
    ScheduleForm,
    SubmissionForm,
    VoteForm,
)
from vanphong.meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    Opinion,
    Paper,
    ScheduleEntry,
    Submission,
    SubmissionStatus,
    WeeklySchedule,
)
from vanphong.meetings.permissions import APPROVE_SCHEDULE, MANAGE, READ_ALL, SUBMIT, may_answer
from vanphong.meetings.workflow import MEETINGS, SUBMISSIONS

PAGE_SIZE = 50


def _day(value: str | None) -> datetime.date:
    return bounds.day_param(value, timezone.localdate())


# -- meetings --------------------------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    view = request.GET.get("view", "month")
    day = _day(request.GET.get("date"))
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
            saved = services.save_meeting(actor, form.save(commit=False))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("meetings:meeting", pk=saved.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting if pk else None})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page, and the paperless meeting room: agenda with each item's papers on screen.
    It offers exactly what the workflow allows the user in the meeting's state now."""
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
            vote_form = VoteForm(prefix=_prefix(view.item), actor=actor)
        if "conclusion" in actions and not view.hidden:
            conclusion_form = ConclusionForm(actor=actor, prefix=_prefix(view.item))
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
        "quorum": services.quorum(meeting),
        "conflicts": services.conflicts(meeting) if manage else [],
        "papers_due": services.papers_due(meeting),
        "invitees": meeting.invitees.select_related("person"),
        "attendance_choices": Attendance.choices,
        # The minutes may speak of every item: they are for those cleared for the most secret one.
        "show_minutes": actor.clearance >= max((view.item.secrecy for view in items), default=0),
    }
    return render(request, "meetings/meeting_detail.html", context)


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
            request, lambda: services.add_item(actor, meeting, **form.cleaned_data), _("Added to the agenda.")
        )
    return _back(meeting, "#agenda")


@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    actor, meeting = _managed_meeting(request, pk)
    form = InviteForm(request.POST, actor=actor)
    if not form.is_valid():
        messages.error(request, _("The selected item does not exist."))
    else:
        run(request, lambda: services.invite(actor, meeting, **form.cleaned_data), _("Invited."))
    return _back(meeting, "#invitees")


@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    actor, meeting = _managed_meeting(request, pk)
    marks = {}
    for invitee in meeting.invitees.all():
        status = request.POST.get(f"attendance-{invitee.pk}")
        if status is not None:
            marks[invitee.pk] = (status, request.POST.get(f"reason-{invitee.pk}", ""))
    run(request, lambda: services.record_attendance(actor, meeting, marks), _("Attendance recorded."))
    return _back(meeting, "#invitees")


def _managed_item(request: HttpRequest, pk: int) -> tuple[Actor, AgendaItem]:
    actor = actor_of(request)
    require(actor, MANAGE)
    return actor, access_object(actor, AgendaItem.objects.select_related("meeting"), pk)


@require_POST
def item_vote(request: HttpRequest, pk: int) -> HttpResponse:
    actor, item = _managed_item(request, pk)
    form = VoteForm(request.POST, prefix=_prefix(item), actor=actor)
    if not form.is_valid():
        messages.error(request, _("Enter the question and the number of votes."))
    else:
        run(request, lambda: services.record_vote(actor, item, **form.cleaned_data), _("Vote recorded."))
    return _back(item.meeting, f"#item-{item.pk}")


@require_POST
def item_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    actor, item = _managed_item(request, pk)
    form = ConclusionForm(request.POST, actor=actor, prefix=_prefix(item))
    if not form.is_valid():
        show_errors(request, form)
    else:
        run(
            request,
            lambda: services.add_conclusion(actor, item, **form.cleaned_data),
            _("Conclusion recorded."),
        )
    return _back(item.meeting, f"#item-{item.pk}")


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
        lambda: _invalid(form) if form is not None and not form.is_valid() else call(actor, meeting, form),
        str(done),
    )
    return _back(meeting)


def _cleaned(form: Any) -> dict[str, Any]:
    return dict(form.cleaned_data)


# The meeting's transitions: the form they read (if any), the service, what is said once done.
MEETING_ACTIONS: dict[str, tuple[Any, Callable[[Actor, Meeting, Any], Any], Promise]] = {
    "opened": (
        None,
        lambda actor, m, _f: services.open_session(actor, m),
        gettext_lazy("The session is open."),
    ),
    "held": (
        MinutesForm,
        lambda actor, m, f: services.close_meeting(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is recorded as held."),
    ),
    "postponed": (
        PostponeForm,
        lambda actor, m, f: services.postpone(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is postponed."),
    ),
    "rescheduled": (
        RescheduleForm,
        lambda actor, m, f: services.reschedule(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is planned again."),
    ),
    "cancelled": (
        CancelForm,
        lambda actor, m, f: services.cancel_meeting(actor, m, **_cleaned(f)),
        gettext_lazy("The meeting is cancelled."),
    ),
    "papers_withdrawn": (
        None,
        lambda actor, m, _f: services.withdraw_papers(actor, m),
        gettext_lazy("The papers are withdrawn from the members' screens."),
    ),
}

DOCUMENT_MAKERS: dict[str, tuple[Callable[[Actor, Meeting], Any], str]] = {
    "invitation": (services.make_invitation, "Giấy mời"),
    "notice": (services.make_notice, "Thông báo kết luận"),
    "minutes": (services.make_minutes_document, "Biên bản"),
}


def paper_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper on screen (PDF and images inline); every opening is logged."""
    actor = actor_of(request)
    paper = access_object(actor, Paper.objects.select_related("version"), pk)
    return stored_file_response(paper, services.open_paper(actor, paper))


# -- submissions -----------------------------------------------------------------------------------


def submission_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    submissions = visible(actor, Submission).select_related("unit", "body")
    status = request.GET.get("status")
    if status in SubmissionStatus.values:
        submissions = submissions.filter(status=status)
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/submission_list.html",
        {
            "page": page,
            "statuses": SubmissionStatus.choices,
            "status": status,
            "can_submit": actor.has_perm(SUBMIT),
        },
    )


@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    require(actor, SUBMIT)
    submission = (
        access_object_for_change(actor, Submission, pk) if pk else Submission(organisation=actor.organisation)
    )
    form = SubmissionForm(request.POST or None, request.FILES or None, instance=submission, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_submission(
                actor,
                form.save(commit=False),
                files=uploaded(form.cleaned_data["attachments"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("meetings:submission", pk=saved.pk)
    return render(
        request, "meetings/submission_form.html", {"form": form, "submission": submission if pk else None}
    )


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    submission = access_object(actor, Submission.objects.select_related("unit", "body", "appraiser"), pk)
    versions = submission.versions.prefetch_related("papers").order_by("-number")
    actions = {transition.action for transition in SUBMISSIONS.actions_for(actor, submission)}
    context = {
        "submission": submission,
        "versions": versions,
        "opinions": [(o, may_answer(actor, o)) for o in submission.opinions.select_related("unit")],
        "actions": actions,
        # The meeting it is on, if the user may see that meeting.
        "agenda_item": visible(actor, AgendaItem)
        .filter(submission=submission)
        .select_related("meeting")
        .first(),
        "history": AuditEvent.objects.filter(object_type=Submission._meta.label, object_id=str(submission.pk))
        .select_related("actor")
        .order_by("seq"),
        "history_labels": HISTORY_LABELS,
    }
    if "start_appraisal" in actions:
        context["appraiser_form"] = AppraiserForm(actor=actor, initial={"appraiser": actor.user})
    if "opinions_requested" in actions:
        context["opinion_request_form"] = OpinionRequestForm(actor=actor)
    if "ready" in actions:
        context["appraisal_form"] = AppraisalForm(actor=actor)
    if "schedule" in actions:
        context["schedule_form"] = ScheduleForm(actor=actor, submission=submission)
    return render(request, "meetings/submission_detail.html", context)


# The submission's audited steps, as the history on its page shows them.
HISTORY_LABELS = {
    "submission.created": gettext_lazy("Created"),
    "submission.updated": gettext_lazy("Revised"),
    "submission.submit": gettext_lazy("Submitted to the office"),
    "submission.start_appraisal": gettext_lazy("Appraisal started"),
    "submission.opinions_requested": gettext_lazy("Opinions of units asked for"),
    "opinion.answered": gettext_lazy("A unit gave its opinion"),
    "submission.return": gettext_lazy("Returned for revision"),
    "submission.ready": gettext_lazy("Found ready to present"),
    "submission.decline": gettext_lazy("Found not in the body's competence"),
    "submission.schedule": gettext_lazy("Put on a meeting's agenda"),
    "submission.unschedule": gettext_lazy("Taken off the agenda (meeting cancelled)"),
    "submission.decide": gettext_lazy("Decided at the meeting"),
    "submission.withdraw": gettext_lazy("Withdrawn"),
}


@require_POST
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    submission = access_object(actor, Submission.objects.select_related("unit", "body"), pk)
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (lambda: services.submit(actor, submission), _("Submitted to the office.")),
        "withdraw": (lambda: services.withdraw(actor, submission), _("Withdrawn.")),
    }
    if action == "start_appraisal":
        form: Any = AppraiserForm(request.POST, actor=actor)
        calls[action] = (
            lambda: (
                services.start_appraisal(actor, submission, appraiser=form.cleaned_data["appraiser"])
                if form.is_valid()
                else _invalid(form)
            ),
            _("Appraisal started."),
        )
    elif action == "opinions":
        form = OpinionRequestForm(request.POST, actor=actor)
        calls[action] = (
            lambda: (
                services.request_opinions(actor, submission, **form.cleaned_data)
                if form.is_valid()
                else _invalid(form)
            ),
            _("The units are asked for their opinion."),
        )
    elif action == "appraise":
        form = AppraisalForm(request.POST, actor=actor)
        calls[action] = (
            lambda: (
                services.appraise(
                    actor,
                    submission,
                    recommendation=form.cleaned_data["recommendation"],
                    text=form.cleaned_data["appraisal"],
                )
                if form.is_valid()
                else _invalid(form)
            ),
            _("Appraisal recorded."),
        )
    elif action == "schedule":
        form = ScheduleForm(request.POST, actor=actor, submission=submission)
        calls[action] = (
            lambda: (
                services.schedule(
                    actor,
                    submission,
                    form.cleaned_data["meeting"],
                    accept_late=form.cleaned_data["accept_late"],
                )
                if form.is_valid()
                else _invalid(form)
            ),
            _("Put on the meeting's agenda."),
        )
    if action not in calls:
        raise Http404
    call, message = calls[action]
    run(request, call, message)
    return redirect("meetings:submission", pk=submission.pk)


def _invalid(form: Any) -> None:
    raise ValidationError([text for errors in form.errors.values() for text in errors])


@require_POST
def opinion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    opinion = access_object(actor, Opinion.objects.select_related("submission"), pk)
    form = OpinionForm(request.POST, actor=actor)
    run(
        request,
        lambda: (
            services.answer_opinion(actor, opinion, text=form.cleaned_data["text"])
            if form.is_valid()
            else _invalid(form)
        ),
        _("Opinion recorded."),
    )
    return redirect("meetings:submission", pk=opinion.submission_id)


# -- weekly schedule -------------------------------------------------------------------------------


def schedule_week(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    monday = services.monday_of(_day(request.GET.get("week")))
    if request.method == "POST":
        schedule = None
        if run(
            request,
            lambda: services.start_week(actor, monday),
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
        run(request, lambda: services.save_entry(actor, form.save(commit=False)), _("Saved."))
    else:
        show_errors(request, form)
    return redirect("meetings:schedule_detail", pk=schedule.pk)


@require_POST
def schedule_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    schedule = access_object(actor, WeeklySchedule, pk)
    if action == "approve":
        run(request, lambda: services.approve_schedule(actor, schedule), _("Approved."))
    elif action == "publish":
        run(request, lambda: services.publish_schedule(actor, schedule), _("Published."))
    else:
        raise Http404
    return redirect("meetings:schedule_detail", pk=schedule.pk)


# -- personal calendar feed -------------------------------------------------------------------------


@require_POST
def feed_manage(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.POST.get("action") == "revoke":
        services.revoke_feed(actor)
        messages.success(request, _("The calendar address no longer works."))
        return redirect("meetings:list")
    token = services.renew_feed(actor)
    url = request.build_absolute_uri(reverse("meetings:ical", args=[token]))
    messages.success(request, _("Your personal calendar address (keep it secret): %(url)s") % {"url": url})
    return redirect("meetings:list")


@login_not_required
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = (
        CalendarFeed.objects.filter(token_hash=services.feed_hash(token))
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
