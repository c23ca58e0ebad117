"""Every domain row carries its organisation, and the child rows of documents and petitions are seen
exactly when their parent is."""

from __future__ import annotations

from django.apps import apps

from vanphong.core.access import visible
from vanphong.core.models import Clearance
from vanphong.documents.models import Assignment, HandlingNote, Routing
from vanphong.documents.tests.conftest import build_office
from vanphong.petitions.models import Extension, PetitionHandler, Step
from vanphong.petitions.tests.conftest import build_reception

# Rows that belong to no one organisation, and why.
GLOBAL = {
    "core.Organisation": "the tenant itself",
    "accounts.User": "a person may serve several organisations (through memberships)",
    "documents.DocumentType": "the Party's document types, the same everywhere (QĐ 399-QĐ/TW)",
    "petitions.DeadlineRule": "statutory deadlines, the same everywhere",
    "petitions.ReceptionMinimum": "statutory reception days, the same everywhere",
    "meetings.CalendarFeed": "belongs to a membership, which has the organisation",
}


def test_every_domain_row_carries_its_organisation():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("vanphong.")
        and model._meta.label not in GLOBAL
        and not any(field.name == "organisation" for field in model._meta.concrete_fields)
    ]
    assert missing == []


def test_routing_notes_and_handling_notes_follow_their_document(org_a):
    office = build_office(org_a)
    doc = office.register(secrecy=Clearance.MAT)
    office_chief = office.actor(office.chief)
    from vanphong.documents import incoming

    incoming.route_incoming(office_chief, doc, instruction="Giao Ban Tổ chức", lead_unit=office.board_unit)
    incoming.add_note(office_chief, doc, text="Ghi chú", kind="comment")
    for model in (Routing, Assignment, HandlingNote):
        row = model.objects.get()
        assert row.organisation == org_a
        assert visible(office_chief, model).filter(pk=row.pk).exists()
        assert not visible(office.actor(office.specialist), model).exists(), model  # not cleared for Mật


def test_handlers_extensions_and_steps_follow_their_petition(org_a):
    reception = build_reception(org_a)
    petition = reception.denunciation()
    for model in (PetitionHandler, Step):
        assert model.objects.filter(petition=petition, organisation=org_a).exists()
        assert visible(reception.actor(reception.officer), model).exists()
        assert not visible(reception.actor(reception.clerk), model).exists(), model
    assert not visible(reception.actor(reception.clerk), Extension).exists()
