"""Pages of citizen reception and petitions: sessions, visits, petitions, registers, reports, settings."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from vanphong.core import bounds, spreadsheets
from vanphong.core.access import Actor, access_object, require, visible
from vanphong.core.pages import errors_to_form, run, show_errors
from vanphong.core.tenancy import actor_of
from vanphong.documents.selectors import RegisterFilter
from vanphong.petitions import exports, handling, intake, reception, rules, selectors
from vanphong.petitions.forms import (
    ACTION_FORMS,
    PeriodForm,
    PetitionFilterForm,
    PetitionForm,
    SessionForm,
    SettingsForm,
    VisitForm,
)
from vanphong.petitions.identities import Identity, sender, visitors
from vanphong.petitions.models import (
    Competence,
    DeadlineRule,
    Petition,
    PetitionKind,
    ReceptionMinimum,
    ReceptionSession,
    State,
    Visit,
)
from vanphong.petitions.permissions import REGISTER, SETTINGS, VIEW, protects_identity
from vanphong.petitions.workflow import WORKFLOW

PAGE_SIZE = 50


def _reader(request: HttpRequest) -> Actor:
    actor: Actor = actor_of(request)
    require(actor, VIEW)  # petitions are for the reception role only (QĐ 693-QĐ/VPTW)
    return actor


def _period(request: HttpRequest) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period asked for, by default the current month."""
    today = timezone.localdate()
    actor = _reader(request)
    form = PeriodForm(request.GET or None, actor=actor)
    first, last = today.replace(day=1), selectors.month_end(today)
    if form.is_valid():
        first = form.cleaned_data["date_from"] or first
        last = form.cleaned_data["date_to"] or last
    if not form.is_bound:
        form = PeriodForm(initial={"date_from": first, "date_to": last}, actor=actor)
    return form, first, last


def _register_export(
    request: HttpRequest, register: Any, rows: Any, first: Any, last: Any
) -> HttpResponse | None:
    export = request.GET.get("export")
    criteria = RegisterFilter(date_from=first, date_to=last)
    if export == "xlsx":
        return spreadsheets.xlsx_response(
            register, rows, criteria, organisation=actor_of(request).organisation
        )
    if export == "print":
        return render(
            request, "documents/register_print.html", spreadsheets.print_context(register, rows, criteria)
        )
    return None


# -- petitions ------------------------------------------------------------------------------------


def petition_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    form = PetitionFilterForm(request.GET or None, actor=actor)
    criteria = selectors.PetitionFilter()
    if form.is_valid():
        criteria = selectors.PetitionFilter(
            **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        )
    rows = selectors.petitions(actor, criteria)
    exported = _register_export(request, exports.PETITIONS, rows, criteria.date_from, criteria.date_to)
    if exported is not None:
        return exported
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/petition_list.html",
        {
            "form": form,
            "page": page,
            # A denouncer is never named in a list, whoever looks (the detail page decides per user).
            "rows": [(petition, exports.petition_sender(petition)) for petition in page],
            "can_register": actor.has_perm(REGISTER),
        },
    )


def _identity_post(form: Any) -> Identity:
    return Identity.cleaned(**form.identity_values()) if "name" in form.fields else Identity()


@require_http_methods(["GET", "POST"])
def petition_new(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    require(actor, REGISTER)
    visit_id = request.POST.get("visit") or request.GET.get("visit")
    visit = access_object(actor, Visit, visit_id) if visit_id else None
    initial: dict[str, Any] = {}
    if visit is not None:
        initial = {
            "received_on": visit.visited_on,
            "kind": visit.content_kind,
            "summary": visit.content,
            "delegation_size": visit.delegation_size,
        }
    form = PetitionForm(request.POST or None, initial=initial, from_visit=visit is not None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = intake.register_petition(
                actor,
                received_on=data["received_on"],
                channel=data.get("channel", "visit"),
                transferred_from=data.get("transferred_from", ""),
                sender_kind=data["sender_kind"],
                identity=_identity_post(form),
                sender_body=data["sender_body"],
                delegation_size=data["delegation_size"],
                kind=data["kind"],
                subject=data["subject"],
                summary=data["summary"],
                concerns=data["concerns"],
                competence=data["competence"],
                competent_body=data["competent_body"],
                instance=data["instance"],
                is_complex=data["is_complex"],
                is_especially_complex=data["is_especially_complex"],
                remote_area=data["remote_area"],
                visit=visit,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, _("Registered as petition %(number)s.") % {"number": petition.reference}
            )
            return redirect("petitions:petition", pk=petition.pk)
    return render(request, "petitions/petition_form.html", {"form": form, "visit": visit})


def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _reader(request)
    petition = access_object(
        actor,
        selectors.with_deadline_state(
            actor.organisation,  # type: ignore[arg-type]
            Petition.objects.select_related(
                "acceptance_rule", "resolution_rule", "transfer_letter", "similar_to", "visit"
            ),
        ),
        pk,
    )
    actions = []
    lead = petition.handlers.filter(role="lead").values_list("user", flat=True).first()
    for transition in WORKFLOW.actions_for(actor, petition):
        form_class = ACTION_FORMS[transition.action]
        today = timezone.localdate()
        initial = {
            "on": today,
            "decided_on": today,
            "is_complex": petition.is_complex,
            "is_especially_complex": petition.is_especially_complex,
            "remote_area": petition.remote_area,
            "to_body": petition.competent_body,
            "lead": lead,
        }
        actions.append((transition, form_class(initial=initial, actor=actor)))
    step_labels = {t.action: t.label for t in WORKFLOW.transitions} | {"register": _("Registered")}
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            "primary": _primary(petition, [transition for transition, _form in actions]),
            "sender": sender(actor, petition),
            "protected": protects_identity(petition),
            "handlers": petition.handlers.select_related("user"),
            "extensions": petition.extensions.all(),
            "steps": [
                (step, step_labels.get(step.action, step.action))
                for step in petition.steps.select_related("by")
            ],
            "similar": petition.similar.all(),
            "actions": actions,
        },
    )


def _primary(petition: Petition, transitions: list[Any]) -> str:
    """The action the case waits for, shown open: accept or transfer a new letter as its competence
    says, else the first one that moves the case on."""
    if petition.state == State.RECEIVED:
        wanted = "accept" if petition.competence == Competence.OWN else "transfer"
        if any(t.action == wanted for t in transitions):
            return wanted
    moving = [t.action for t in transitions if t.target not in (None, petition.state)]
    return moving[0] if moving else ""


# The service each action of the petition's page runs (with its form's fields), and what it says.
ACTIONS: dict[str, tuple[Callable[..., Any], Promise]] = {
    "accept": (intake.accept, gettext_lazy("Accepted; the resolution deadline is set.")),
    "transfer": (
        intake.transfer,
        gettext_lazy("Closed as transferred; the letter is a draft in the outgoing documents."),
    ),
    "file": (intake.file_away, gettext_lazy("Filed.")),
    "assign": (handling.assign, gettext_lazy("Handlers named.")),
    "extend": (handling.extend, gettext_lazy("Extension recorded.")),
    "classify": (handling.classify, gettext_lazy("Saved; the deadline is computed again.")),
    "conclude": (handling.conclude, gettext_lazy("Concluded.")),
    "answer": (handling.answer, gettext_lazy("Answered; the petition is closed.")),
}


@require_POST
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _reader(request)
    petition = access_object(actor, Petition, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form_class: Any = ACTION_FORMS[action]
    form = form_class(request.POST, actor=actor)
    if not form.is_valid():
        show_errors(request, form)
        return redirect("petitions:petition", pk=petition.pk)
    service, done = ACTIONS[action]
    run(request, lambda: service(actor, petition, **form.cleaned_data), str(done))
    return redirect("petitions:petition", pk=petition.pk)


# -- reception ------------------------------------------------------------------------------------


def session_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    today = timezone.localdate()
    year = bounds.int_param(request.GET.get("year"), today.year, 1990, 2100)
    first = datetime.date(year, 1, 1)
    last = (
        min(datetime.date(year, 12, 31), selectors.month_end(today))
        if year >= today.year
        else datetime.date(year, 12, 31)
    )
    sessions = (
        visible(actor, ReceptionSession)
        .filter(held_on__year=year)
        .select_related("leader")
        .order_by("-held_on")
    )
    minimum = rules.reception_minimum(actor.organisation, first)  # type: ignore[arg-type]
    return render(
        request,
        "petitions/session_list.html",
        {
            "year": year,
            "months": selectors.reception_months(actor, first, last),
            "sessions": sessions,
            "minimum": minimum,
            "can_register": actor.has_perm(REGISTER),
        },
    )


@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    require(actor, REGISTER)
    form = SessionForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            session = reception.save_session(actor, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect("petitions:session", pk=session.pk)
    return render(request, "petitions/form.html", {"form": form, "title": _("New reception session")})


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _reader(request)
    session = access_object(actor, ReceptionSession.objects.select_related("leader"), pk)
    visits = [
        (visit, exports.visit_citizens(visit)) for visit in session.visits.prefetch_related("petitions")
    ]
    return render(
        request,
        "petitions/session_detail.html",
        {"session": session, "visits": visits, "can_register": actor.has_perm(REGISTER)},
    )


@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    require(actor, REGISTER)
    initial: dict[str, Any] = {}
    if request.GET.get("session"):
        session = access_object(actor, ReceptionSession, request.GET["session"])
        initial = {"session": session, "visited_on": session.held_on}
    form = VisitForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = reception.record_visit(
                actor,
                session=data["session"],
                visited_on=data["visited_on"],
                content_kind=data["content_kind"],
                identity=Identity.cleaned(**form.identity_values()),
                delegation_size=data["delegation_size"],
                content=data["content"],
                documents_handed_in=data["documents_handed_in"],
                answer=data["answer"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("petitions:visit", pk=visit.pk)
    return render(request, "petitions/form.html", {"form": form, "title": _("Record a visit")})


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _reader(request)
    visit = access_object(actor, Visit.objects.select_related("session__leader", "received_by"), pk)
    return render(
        request,
        "petitions/visit_detail.html",
        {
            "visit": visit,
            "citizens": visitors(actor, visit),
            "protected": visit.content_kind == PetitionKind.DENUNCIATION,
            "petitions": visit.petitions.all(),
            "can_register": actor.has_perm(REGISTER),
        },
    )


def reception_register(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    form, first, last = _period(request)
    rows = selectors.visits(actor, first, last)
    exported = _register_export(request, exports.RECEPTION, rows, first, last)
    if exported is not None:
        return exported
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    visits = [(visit, exports.visit_citizens(visit)) for visit in page]
    return render(
        request, "petitions/reception_register.html", {"form": form, "page": page, "visits": visits}
    )


def report(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    form, first, last = _period(request)
    figures = selectors.report(actor, first, last)
    if request.GET.get("export") == "xlsx":
        return exports.report_xlsx(figures, actor.organisation.name)  # type: ignore[union-attr]
    return render(request, "petitions/report.html", {"form": form, "report": figures})


@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, SETTINGS)
    instance = rules.petition_settings(actor.organisation)  # type: ignore[arg-type]
    form = SettingsForm(request.POST or None, instance=instance, actor=actor)
    if request.method == "POST" and form.is_valid():
        rules.save_settings(actor, form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("petitions:settings")
    return render(
        request,
        "petitions/settings.html",
        {"form": form, "rules": DeadlineRule.objects.all(), "minimums": ReceptionMinimum.objects.all()},
    )
