"""The audit log pages, for administrators of the organisation."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.forms import DateInput, Form
from vanphong.core.models import AuditEvent
from vanphong.core.permissions import AUDIT_VIEW
from vanphong.core.tenancy import actor_of


class AuditFilterForm(Form):
    username = forms.CharField(label=_("Actor"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())


def _events(actor: Actor):  # type: ignore[no-untyped-def]
    require(actor, AUDIT_VIEW)
    return AuditEvent.objects.filter(organisation=actor.organisation)


def audit_log(request: HttpRequest) -> HttpResponse:
    events = _events(actor_of(request))
    form = AuditFilterForm(request.GET or None, actor=actor_of(request))
    if form.is_valid():
        data = form.cleaned_data
        if data["username"]:
            events = events.filter(actor_username__icontains=data["username"])
        if data["action"]:
            events = events.filter(action__icontains=data["action"])
        if data["object_type"]:
            events = events.filter(object_type__icontains=data["object_type"])
        if data["date_from"]:
            events = events.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(created_at__date__lte=data["date_to"])
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    readable = audit.visible_content(actor_of(request), page)
    rows = [(event, event.pk in readable) for event in page]
    return render(request, "core/audit_log.html", {"form": form, "page": page, "rows": rows})


def audit_event(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = _events(request.actor).get(pk=pk)  # type: ignore[attr-defined]
    except AuditEvent.DoesNotExist as exc:
        raise Http404 from exc
    readable = event.pk in audit.visible_content(actor_of(request), [event])
    return render(request, "core/audit_event.html", {"event": event, "readable": readable})
