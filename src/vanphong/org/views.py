"""Pages of the organisation: its profile, bodies, units, people directory and position history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vanphong.core.access import access_object, access_object_for_change, require, visible
from vanphong.core.models import Organisation
from vanphong.core.tenancy import actor_of
from vanphong.org import selectors, services
from vanphong.org.forms import DirectoryFilterForm, HoldingForm, PersonForm
from vanphong.org.models import Body, Person, Position, PositionHolding, Term, Unit
from vanphong.org.permissions import STRUCTURE_MANAGE

PAGE_SIZE = 50


def organisation(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    org = actor.organisation
    assert org is not None  # CurrentOrganisationMiddleware serves only members here
    term = selectors.current_term(actor)
    bodies = (
        [(body, selectors.current_members(body)) for body in selectors.bodies_of_term(actor, term)]
        if term
        else []
    )
    related = visible(actor, Organisation).exclude(pk=org.pk).select_related("parent", "successor")
    return render(
        request,
        "org/organisation.html",
        {
            "org": org,
            "term": term,
            "bodies": bodies,
            "units": visible(actor, Unit)
            .filter(is_active=True, parent__isnull=True)
            .prefetch_related("children"),
            "children": [o for o in related if o.parent_id == org.pk],
            "predecessors": [o for o in related if o.successor_id == org.pk],
            "terms": visible(actor, Term),
        },
    )


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    body = access_object(actor, Body.objects.select_related("term"), pk)
    all_members = body.memberships.select_related("person").order_by("start_date", "person__sort_key")
    return render(
        request,
        "org/body.html",
        {"body": body, "members": selectors.current_members(body), "all_members": all_members},
    )


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    unit = access_object(actor, Unit, pk)
    return render(
        request,
        "org/unit.html",
        {
            "unit": unit,
            "people": selectors.people_directory(actor, unit=unit),
            "subunits": visible(actor, Unit).filter(parent=unit),
            "positions": selectors.positions_with_holders(actor).filter(unit=unit),
        },
    )


def people(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = DirectoryFilterForm(request.GET or None, actor=actor)
    query, unit = "", None
    if form.is_valid():
        query, unit = form.cleaned_data["q"], form.cleaned_data["unit"]
    page = Paginator(selectors.people_directory(actor, query, unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "can_manage": actor.has_perm(STRUCTURE_MANAGE)}
    template = "org/_people_rows.html" if request.htmx else "org/people.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    person = access_object(actor, Person.objects.select_related("unit"), pk)
    return render(
        request,
        "org/person.html",
        {
            "person": person,
            "holdings": person.holdings.select_related("position").order_by("-start_date"),
            "body_memberships": person.body_memberships.select_related("body", "body__term").order_by(
                "-start_date"
            ),
            "can_manage": actor.has_perm(STRUCTURE_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    require(actor, STRUCTURE_MANAGE)
    person = access_object_for_change(actor, Person, pk) if pk is not None else Person()
    form = PersonForm(request.POST or None, instance=person, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.save_person(actor, form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": person.full_name})
            return redirect("org:person", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


def positions(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "org/positions.html", {"positions": selectors.positions_with_holders(actor)})


@require_http_methods(["GET", "POST"])
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    position = access_object(actor, Position.objects.select_related("unit"), pk)
    can_manage = actor.has_perm(STRUCTURE_MANAGE)
    form = HoldingForm(request.POST or None, actor=actor) if can_manage else None
    if request.method == "POST":
        require(actor, STRUCTURE_MANAGE)
        assert form is not None
        if form.is_valid():
            holding: PositionHolding = form.save(commit=False)
            holding.position = position
            try:
                services.save_holding(actor, holding)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Recorded %(name)s as holder.") % {"name": holding.person.full_name}
                )
                return redirect("org:position", pk=position.pk)
    history = list(selectors.position_history(actor, position))
    return render(
        request,
        "org/position.html",
        {"position": position, "history": history, "form": form, "can_manage": can_manage},
    )
