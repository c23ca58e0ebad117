"""Submissions and their appraisal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from vanphong.core import audit
from vanphong.core.access import access_object, access_object_for_change, require, visible
from vanphong.core.forms import uploaded
from vanphong.core.pages import errors_to_form, run
from vanphong.core.tenancy import actor_of
from vanphong.meetings import submissions
from vanphong.meetings.forms import (
    AppraisalForm,
    AppraiserForm,
    OpinionForm,
    OpinionRequestForm,
    ScheduleForm,
    SubmissionForm,
)
from vanphong.meetings.models import (
    AgendaItem,
    Opinion,
    Submission,
    SubmissionStatus,
)
from vanphong.meetings.permissions import SUBMIT, may_answer
from vanphong.meetings.views import PAGE_SIZE, invalid
from vanphong.meetings.workflow import SUBMISSIONS


def submission_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = visible(actor, Submission).select_related("unit", "body")
    status = request.GET.get("status")
    if status in SubmissionStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
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
            saved = submissions.save_submission(
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
        "timeline": audit.timeline(submission, HISTORY_LABELS),
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
        "submit": (lambda: submissions.submit(actor, submission), _("Submitted to the office.")),
        "withdraw": (lambda: submissions.withdraw(actor, submission), _("Withdrawn.")),
    }
    if action == "start_appraisal":
        form: Any = AppraiserForm(request.POST, actor=actor)
        calls[action] = (
            lambda: (
                submissions.start_appraisal(actor, submission, appraiser=form.cleaned_data["appraiser"])
                if form.is_valid()
                else invalid(form)
            ),
            _("Appraisal started."),
        )
    elif action == "opinions":
        form = OpinionRequestForm(request.POST, actor=actor)
        calls[action] = (
            lambda: (
                submissions.request_opinions(actor, submission, **form.cleaned_data)
                if form.is_valid()
                else invalid(form)
            ),
            _("The units are asked for their opinion."),
        )
    elif action == "appraise":
        form = AppraisalForm(request.POST, actor=actor)
        calls[action] = (
            lambda: (
                submissions.appraise(
                    actor,
                    submission,
                    recommendation=form.cleaned_data["recommendation"],
                    text=form.cleaned_data["appraisal"],
                )
                if form.is_valid()
                else invalid(form)
            ),
            _("Appraisal recorded."),
        )
    elif action == "schedule":
        form = ScheduleForm(request.POST, actor=actor, submission=submission)
        calls[action] = (
            lambda: (
                submissions.schedule(
                    actor,
                    submission,
                    form.cleaned_data["meeting"],
                    accept_late=form.cleaned_data["accept_late"],
                )
                if form.is_valid()
                else invalid(form)
            ),
            _("Put on the meeting's agenda."),
        )
    if action not in calls:
        raise Http404
    call, message = calls[action]
    run(request, call, message)
    return redirect("meetings:submission", pk=submission.pk)


@require_POST
def opinion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    opinion = access_object(actor, Opinion.objects.select_related("submission"), pk)
    form = OpinionForm(request.POST, actor=actor)
    run(
        request,
        lambda: (
            submissions.answer_opinion(actor, opinion, text=form.cleaned_data["text"])
            if form.is_valid()
            else invalid(form)
        ),
        _("Opinion recorded."),
    )
    return redirect("meetings:submission", pk=opinion.submission_id)
