"""A denouncer stays unnamed through the letters linked to theirs: no copying a denunciation visit's
identity into another kind of letter, no "same person" link to or from a denunciation."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from vanphong.petitions.identities import Identity
from vanphong.petitions.intake import register_petition
from vanphong.petitions.models import Competence, Petition, PetitionKind, Subject
from vanphong.petitions.reception import record_visit
from vanphong.petitions.tests.conftest import DENOUNCER

pytestmark = pytest.mark.django_db


def test_a_denunciation_visit_cannot_become_another_kind_of_letter(reception, client_for):
    visit = record_visit(
        reception.actor(reception.officer),
        visited_on=datetime.date(2026, 3, 2),
        content_kind=PetitionKind.DENUNCIATION,
        identity=Identity.cleaned(name=DENOUNCER, address="Số 5 Lê Lợi"),
        content="Tố cáo cán bộ địa chính nhận tiền",
    )
    response = client_for(reception.officer2).post(
        f"/petitions/new/?visit={visit.pk}",
        {
            "visit": visit.pk,
            "received_on": "2026-03-02",
            "sender_kind": "person",
            "delegation_size": 1,
            "kind": "proposal",
            "subject": Subject.CADRES,
            "summary": "Kiến nghị xem xét",
            "competence": Competence.OWN,
        },
    )
    assert response.status_code == 200
    assert "Buổi tiếp là tố cáo" in response.content.decode()
    assert DENOUNCER not in response.content.decode()
    assert not Petition.objects.exists()
    with pytest.raises(ValidationError):
        register_petition(
            reception.actor(reception.officer2),
            received_on=datetime.date(2026, 3, 2),
            channel="visit",
            sender_kind="person",
            kind=PetitionKind.PROPOSAL,
            subject=Subject.CADRES,
            summary="Kiến nghị",
            competence=Competence.OWN,
            visit=visit,
        )


def test_a_denunciation_is_never_linked_to_another_letter_by_its_sender(reception, client_for):
    complaint = reception.petition(identity=Identity.cleaned(name=DENOUNCER, address="Số 5 đường Lê Lợi"))
    denunciation = reception.denunciation()
    assert denunciation.similar_to_id != complaint.pk
    page = client_for(reception.head).get(f"/petitions/{denunciation.pk}/").content.decode()
    assert f"/petitions/{complaint.pk}/" not in page


def test_a_guessed_name_does_not_find_the_denouncer(reception, client_for):
    denunciation = reception.denunciation()
    probe = reception.petition(
        user=reception.officer2,
        identity=Identity.cleaned(name=DENOUNCER),
        summary="Nội dung khác hẳn",
    )
    assert probe.similar_to_id != denunciation.pk
