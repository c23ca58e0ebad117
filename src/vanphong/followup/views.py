"""Pages of the follow-up: dashboard, tasks, sources, a task with its reports, extensions and history,
the urging letter, the spreadsheet import and the notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from vanphong.core.access import Actor, access_object, require, visible
from vanphong.core.downloads import stored_file_response
from vanphong.core.forms import uploaded
from vanphong.core.pages import errors_to_form, show_errors
from vanphong.core.tenancy import actor_of
from vanphong.followup import assignment, extensions, importing, progress, selectors
from vanphong.followup.forms import (
    DecisionForm,
    EvaluationForm,
    ExtensionForm,
    FilterForm,
    ImportForm,
    ReportForm,
    SourceForm,
    TaskForm,
)
from vanphong.followup.models import (
    ExtensionRequest,
    Notification,
    ProgressReport,
    ReportFile,
    Source,
    SourceKind,
    Status,
    Task,
)
from vanphong.followup.permissions import MANAGE, actions_for
from vanphong.followup.urging import urging_letter
from vanphong.org.models import Unit

PAGE_SIZE = 50


def _criteria(request: HttpRequest, actor: Actor) -> tuple[FilterForm, selectors.Criteria]:
    form = FilterForm(request.GET or None, actor=actor)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
        return form, selectors.Criteria(**data)
    return form, selectors.Criteria()


def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts by status, on-time rate, overdue list and timeline, for the organisation or for one
    unit, responsible member or source; with the child organisations' figures for those who read
    the whole organisation's tasks."""
    actor = actor_of(request)
    form, criteria = _criteria(request, actor)
    today = timezone.localdate()
    overdue = selectors.overdue(actor, criteria, today)
    return render(
        request,
        "followup/dashboard.html",
        {
            "form": form,
            "criteria": criteria,
            "figures": selectors.figures(actor, criteria, today),
            "restricted": selectors.restricted_count(actor, criteria),
            "overdue": overdue[:20],
            "overdue_count": overdue.count(),
            "timeline": selectors.timeline(actor, criteria, today),
            "rollup": selectors.rollup(actor, criteria, today),
            "by_unit": [] if criteria.unit else selectors.breakdown(actor, criteria, "lead_unit", today),
            "by_person": []
            if criteria.person
            else selectors.breakdown(actor, criteria, "responsible", today),
            "can_manage": actor.has_perm(MANAGE),
            "query": request.GET.urlencode(),
        },
    )


def task_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form, criteria = _criteria(request, actor)
    found = selectors.task_list(actor, criteria).order_by("deadline", "id")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "followup/task_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
def sources(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = None
    if actor.has_perm(MANAGE):
        form = SourceForm(request.POST or None, actor=actor)
        if request.method == "POST" and form.is_valid():
            try:
                source = assignment.create_source(actor, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The source was recorded; now assign its tasks."))
                return redirect("followup:source", source.pk)
    elif request.method == "POST":
        require(actor, MANAGE)
    kind = request.GET.get("kind", "")
    listed = visible(actor, Source).select_related("term")
    if kind in SourceKind.values:
        listed = listed.filter(kind=kind)
    tasks = selectors.tasks(actor)
    counts = dict(tasks.order_by().values("source").annotate(n=Count("*")).values_list("source", "n"))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    for source in page:
        source.task_count = counts.get(source.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "followup/sources.html",
        {"page": page, "form": form, "kinds": SourceKind.choices, "kind": kind},
    )


def _task_form(request: HttpRequest, actor: Actor, source: Source, parent: Task | None) -> TaskForm:
    prefix = "sub" if parent else "task"
    data = request.POST if request.method == "POST" and request.POST.get("form") == prefix else None
    return TaskForm(data, actor=actor, source=source, subtask=parent is not None, prefix=prefix)


def _create_task(
    request: HttpRequest, actor: Actor, form: TaskForm, source: Source, parent: Task | None
) -> Task | None:
    if not form.is_valid():
        return None
    data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    data["recurrence"] = data.get("recurrence", "")
    try:
        task = assignment.create_task(actor, source, parent=parent, **data)
    except ValidationError as error:
        errors_to_form(form, error)
        return None
    messages.success(request, _("The task was assigned."))
    return task


@require_http_methods(["GET", "POST"])
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    source = access_object(actor, Source.objects.select_related("term", "outgoing", "incoming"), pk)
    form = None
    if actor.has_perm(MANAGE):
        form = _task_form(request, actor, source, None)
        if request.method == "POST" and _create_task(request, actor, form, source, None):
            return redirect("followup:source", source.pk)
    elif request.method == "POST":
        require(actor, MANAGE)
    criteria = selectors.Criteria(source=source)
    today = timezone.localdate()
    tasks = list(selectors.task_list(actor, criteria, today).filter(parent__isnull=True))
    series = visible(actor, Task).filter(source=source, recurrence__gt="")
    groups: list[tuple[str, list[Task]]] = []
    if source.kind == SourceKind.WORK_PROGRAMME:
        # A work programme reads by quarter, then by month, like the paper programme.
        for task in sorted(
            tasks, key=lambda t: (t.period_quarter or 5, t.period_month or 0, t.deadline or today)
        ):
            label = (
                _("Quarter %(q)s, month %(m)s") % {"q": task.period_quarter, "m": task.period_month}
                if task.period_month
                else _("Quarter %(q)s") % {"q": task.period_quarter}
                if task.period_quarter
                else _("Whole year")
            )
            if not groups or groups[-1][0] != label:
                groups.append((label, []))
            groups[-1][1].append(task)
    else:
        groups = [("", tasks)]
    return render(
        request,
        "followup/source_detail.html",
        {
            "source": source,
            "groups": groups,
            "series": series,
            "figures": selectors.figures(actor, criteria, today),
            "restricted": selectors.restricted_count(actor, criteria),
            "form": form,
            "query": f"source={source.pk}",
        },
    )


def _task(actor: Actor, pk: int) -> Task:
    assert actor.organisation is not None
    today = timezone.localdate()
    annotated = selectors.with_status(
        Task.objects.select_related("source", "lead_unit", "responsible", "parent", "series", "evaluated_by"),
        today,
        selectors.due_soon_until(actor.organisation, today),
    )
    return access_object(actor, annotated, pk)


@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task with its sub-tasks, reports, extensions and history; the forms and buttons are exactly
    the actions the actor may take now (`permissions.actions_for`)."""
    actor = actor_of(request)
    task = _task(actor, pk)
    actions = actions_for(actor, task)
    sub_form = None
    if "subtask" in actions:
        sub_form = _task_form(request, actor, task.source, task)
        if request.method == "POST" and _create_task(request, actor, sub_form, task.source, task):
            return redirect("followup:task", task.pk)
    elif request.method == "POST":
        require(actor, MANAGE)
    return _task_page(request, actor, task, actions, {"sub_form": sub_form})


def _task_page(
    request: HttpRequest,
    actor: Actor,
    task: Task,
    actions: list[str],
    forms_shown: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """The task page; `forms_shown` holds forms sent back as typed with their errors."""
    subtasks = selectors.with_status(
        visible(actor, Task).filter(parent=task).select_related("lead_unit"),
        timezone.localdate(),
        selectors.due_soon_until(task.organisation, timezone.localdate()),
    )
    reports = list(task.reports.select_related("reported_by", "reviewed_by").prefetch_related("files"))
    extension_requests = list(task.extensions.select_related("requested_by", "decided_by"))
    for report in reports:
        report.actions = actions_for(actor, report)  # type: ignore[attr-defined]
    for extension in extension_requests:
        extension.actions = actions_for(actor, extension)  # type: ignore[attr-defined]
    context = {
        "task": task,
        "actions": actions,
        "subtasks": subtasks,
        "hidden_subtasks": task.subtasks.count() - subtasks.count(),
        "weights_total": assignment.weights_total(task),
        "reports": reports,
        "extensions": extension_requests,
        "reminders": task.reminders.all()[:50],
        "history": selectors.history(task)[:100],
        "occurrences": task.occurrences.order_by("deadline")[:24] if task.recurrence else None,
        "support_units": task.support_units.all(),
        "report_form": ReportForm(actor=actor) if "report" in actions else None,
        "extension_form": ExtensionForm(actor=actor) if "extension" in actions else None,
        "decision_form": DecisionForm(actor=actor),
        "evaluation_form": EvaluationForm(actor=actor) if "evaluated" in actions else None,
        "sub_form": None,
        "status_labels": dict(Status.choices),
    }
    context.update(forms_shown)
    return render(request, "followup/task_detail.html", context, status=status)


def _refused(request: HttpRequest, actor: Actor, task: Task, name: str, form: Any) -> HttpResponse:
    """The task page again with the refused form as typed, each error under its field."""
    return _task_page(request, actor, task, actions_for(actor, task), {name: form}, status=422)


@require_POST
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(actor, pk)
    form = ReportForm(request.POST, request.FILES, actor=actor)
    if form.is_valid():
        try:
            progress.submit_report(
                actor,
                task,
                text=form.cleaned_data["text"],
                percent=form.cleaned_data["percent"],
                files=uploaded(request.FILES.getlist("files")),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The report was sent."))
            return redirect("followup:task", task.pk)
    return _refused(request, actor, task, "report_form", form)


@require_POST
def task_extension(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(actor, pk)
    form = ExtensionForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            extensions.request_extension(
                actor,
                task,
                reason=form.cleaned_data["reason"],
                requested_deadline=form.cleaned_data["requested_deadline"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The extension request was sent to the office."))
            return redirect("followup:task", task.pk)
    return _refused(request, actor, task, "extension_form", form)


@require_POST
def report_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    report = access_object(actor, ProgressReport, pk)
    if action not in ("accept", "return"):
        return HttpResponse(status=404)
    try:
        progress.review_report(actor, report, accept=action == "accept", note=request.POST.get("note", ""))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("followup:task", report.task_id)


@require_POST
def extension_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    extension = access_object(actor, ExtensionRequest, pk)
    if action not in ("approve", "refuse"):
        return HttpResponse(status=404)
    form = DecisionForm(request.POST, actor=actor)
    form.is_valid()
    try:
        extensions.decide_extension(
            actor,
            extension,
            approve=action == "approve",
            new_deadline=form.cleaned_data.get("new_deadline"),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        show_errors(request, error)
    return redirect("followup:task", extension.task_id)


@require_POST
def task_weights(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-share a task among its sub-tasks: one weight per open sub-task, adding up to 100%."""
    actor = actor_of(request)
    task = _task(actor, pk)
    require(actor, MANAGE)
    weights: dict[int, int] = {}
    for key in request.POST:
        if key.startswith("weight-"):
            try:
                weights[int(key.removeprefix("weight-"))] = int(request.POST.get(key, ""))
            except ValueError:
                messages.error(request, _("Enter a weight from 1 to 100%."))
                return redirect("followup:task", task.pk)
    try:
        assignment.set_weights(actor, task, weights)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The weights were changed."))
    return redirect("followup:task", task.pk)


@require_POST
def task_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(actor, pk)
    try:
        progress.evaluate(
            actor, task, evaluation=request.POST.get("evaluation", ""), note=request.POST.get("note", "")
        )
    except ValidationError as error:
        show_errors(request, error)
    return redirect("followup:task", task.pk)


@require_POST
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(actor, pk)
    try:
        assignment.cancel_task(actor, task, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("followup:task", task.pk)


def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    file = access_object(actor, ReportFile.objects.select_related("report"), pk)
    return stored_file_response(file, progress.open_report_file(actor, file), download=True)


@require_POST
def urge(request: HttpRequest) -> HttpResponse:
    """Draft the urging letter (công văn đôn đốc) to a unit about its overdue tasks."""
    actor = actor_of(request)
    require(actor, MANAGE)
    unit = access_object(actor, Unit, request.POST.get("unit"))
    try:
        doc = urging_letter(actor, unit)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(f"{reverse('followup:dashboard')}?unit={unit.pk}")
    messages.success(request, _("The urging letter was drafted; check it and send it for signature."))
    return redirect("documents:outgoing", doc.pk)


@require_http_methods(["GET", "POST"])
def import_progress(request: HttpRequest) -> HttpResponse:
    """Bulk progress update from XLSX: download the sheet of one's open tasks, fill it, check, record."""
    actor = actor_of(request)
    if request.GET.get("template"):
        response = HttpResponse(
            importing.template_xlsx(actor),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"tien-do-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
        return response
    form = ImportForm(request.POST or None, request.FILES or None, actor=actor)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            if form.cleaned_data["confirm"]:
                result = importing.apply(actor, data)
            else:
                result = importing.read(actor, data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if form.cleaned_data["confirm"] and result.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s report was recorded.", "%(count)s reports were recorded.", len(result.rows)
                    )
                    % {"count": len(result.rows)},
                )
                return redirect("followup:tasks")
    return render(request, "followup/import.html", {"form": form, "result": result})


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    mine = visible(actor, Notification).select_related("task")
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("followup:notifications")
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "followup/notifications.html", {"page": page})
