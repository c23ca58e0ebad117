"""Every form of every app knows its actor, offers only what that actor may choose and bounds its input."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms
from django.db import models

import vanphong
from vanphong.accounts.models import RoleCode
from vanphong.core import bounds
from vanphong.core.forms import Form, ModelForm
from vanphong.core.models import Clearance, Organisation
from vanphong.documents import incoming as documents_incoming
from vanphong.documents.models import DocumentType
from vanphong.followup import assignment as followup
from vanphong.meetings.tests.conftest import build_committee
from vanphong.org.models import Person
from vanphong.petitions.reception import save_session
from vanphong.testing import actor_of, make_user, system, today

# Choices that follow a rule of their own (`narrowing=`) rather than the model's access policy.
OWN_RULE = {
    # Documents are sent to the other committees on this deployment (documents.forms).
    "OutgoingForm.internal_recipients",
}

# Extra arguments some forms need besides the actor, made in organisation A.
EXTRA: dict[str, Any] = {
    "RegisterFilterForm": lambda a: {"statuses": []},
    "ScheduleForm": lambda a: {"submission": a.submission()},
    "TaskForm": lambda a: {"source": followup.create_source(a.system, kind="conclusion", title="Kết luận")},
}


def _form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(vanphong.__path__, "vanphong."):
        if not any(part in info.name for part in (".tests", ".migrations", ".management")):
            importlib.import_module(info.name)
    found: dict[str, type[forms.BaseForm]] = {}
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        module = cls.__module__
        # The admin's forms are for deployment administrators, who act across organisations.
        if module.startswith("vanphong.") and not module.endswith((".admin", "core.forms")):
            found[f"{module}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


FORMS: list[Any] = _form_classes()


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"IncomingForm", "InviteForm", "TaskForm", "AssignForm", "PersonForm", "AuditFilterForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_form_is_made_for_an_actor(form_class):
    assert issubclass(form_class, Form | ModelForm), "derive it from vanphong.core.forms.Form or ModelForm"


def _populate_other_organisation(org_b: Organisation) -> dict[type[models.Model], set[Any]]:
    committee = build_committee(org_b)
    committee.meeting()
    actor = system(org_b)
    followup.create_source(actor, kind="conclusion", title="Kết luận của tổ chức khác")
    save_session(actor, held_on=today())
    incoming = documents_incoming.register_incoming(
        actor,
        doc_type=DocumentType.objects.get(symbol="CV"),
        summary="Công văn của tổ chức khác",
        sender_name="Ban Tổ chức Trung ương",
        document_date=today(),
    )
    assert incoming.pk
    owned: dict[type[models.Model], set[Any]] = {}
    for model in [m for m in vanphong_models() if _has_organisation(m)]:
        owned[model] = set(model._default_manager.filter(organisation=org_b).values_list("pk", flat=True))
    owned[Organisation] = {org_b.pk}
    from vanphong.accounts.models import User

    owned[User] = set(User.objects.filter(memberships__organisation=org_b).values_list("pk", flat=True))
    return owned


def vanphong_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if m.__module__.startswith("vanphong.")]


def _has_organisation(model: type[models.Model]) -> bool:
    return any(field.name == "organisation" for field in model._meta.concrete_fields)


@pytest.mark.django_db
def test_no_form_offers_a_choice_from_another_organisation(org_a, org_b):
    own = build_committee(org_a)
    everything = make_user(org_a, "moiquyen", roles=RoleCode.values, clearance=Clearance.TUYET_MAT)
    actor = actor_of(everything, org_a)
    others = _populate_other_organisation(org_b)
    assert others[Person] and others[Organisation]
    checked = 0
    for form_class in FORMS:
        kwargs = EXTRA.get(form_class.__name__, lambda a: {})(own)
        form: Any = form_class(actor=actor, **kwargs)
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if f"{form_class.__name__}.{name}" in OWN_RULE:
                assert hasattr(field, "narrowing")
                continue
            queryset: Any = field.queryset
            offered = set(queryset.values_list("pk", flat=True))
            foreign = offered & others.get(queryset.model, set())
            label = f"{form_class.__name__}.{name}"
            assert not foreign, f"{label} offers {queryset.model.__name__} {foreign}"
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
@pytest.mark.django_db
def test_every_field_is_bounded(form_class, org_a):
    own = build_committee(org_a)
    form: Any = form_class(actor=own.actor(own.chief), **EXTRA.get(form_class.__name__, lambda a: {})(own))
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            time = "T00:00" if isinstance(field, forms.DateTimeField) else ""
            for day in ("0001-01-01", "9999-12-31"):
                with pytest.raises(forms.ValidationError):
                    field.clean(day + time)
        elif isinstance(field, forms.IntegerField):
            with pytest.raises(forms.ValidationError):
                field.clean(str(bounds.INT_MAX + 1))
        elif isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
            assert field.clean("a\x00b\x1fc\ud800d") == "abcd", name


def test_signatures_take_no_actor_of_their_own():
    """The base class holds the actor (self.actor); a form asking for it again would shadow it."""
    for form_class in FORMS:
        own_init = form_class.__dict__.get("__init__")
        assert own_init is None or "actor" not in inspect.signature(own_init).parameters, form_class
