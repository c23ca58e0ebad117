"""Citizen reception and who sees a citizen, through the real services: sessions and visits, a
petition made at a visit, a denouncer seen only by the named handlers and the office chief."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from vanphong.core.models import AuditEvent
from vanphong.petitions.identities import Identity, sender, visitors
from vanphong.petitions.models import PetitionKind
from vanphong.petitions.reception import record_visit, save_session
from vanphong.petitions.tests.conftest import DENOUNCER, DENOUNCER_PHONE, seen

D = datetime.date
pytestmark = pytest.mark.django_db


# -- who sees a denouncer --------------------------------------------------------------------------


def test_a_denouncer_is_seen_by_named_handlers_and_the_chief_only_and_each_view_is_audited(reception):
    petition = reception.denunciation()
    assert sender(reception.actor(reception.officer2), petition) is None
    assert sender(reception.actor(reception.head), petition) is None
    assert sender(reception.actor(reception.clerk), petition) is None
    before = AuditEvent.objects.filter(action="petition.identity_viewed").count()
    assert seen(sender(reception.actor(reception.chief), petition)).name == DENOUNCER
    # The officer who recorded the letter does its intake and is named for it.
    assert seen(sender(reception.actor(reception.officer), petition)).phone == DENOUNCER_PHONE
    assert AuditEvent.objects.filter(action="petition.identity_viewed").count() == before + 2


def test_a_complainant_is_seen_by_everyone_on_reception_without_audit_noise(reception):
    petition = reception.petition()
    assert seen(sender(reception.actor(reception.officer2), petition)).name == "Nguyễn Văn Hùng"
    assert sender(reception.actor(reception.clerk), petition) is None
    assert not AuditEvent.objects.filter(action="petition.identity_viewed").exists()


# -- sessions and visits ---------------------------------------------------------------------------


def test_visit_in_a_session_then_a_petition_from_it(reception):
    officer = reception.actor(reception.officer)
    session = save_session(officer, held_on=D(2026, 3, 10), leader=reception.head_person)
    visit = record_visit(
        officer,
        session=session,
        visited_on=D(2026, 3, 10),
        content_kind=PetitionKind.DENUNCIATION,
        identity=Identity.cleaned(name=DENOUNCER, phone=DENOUNCER_PHONE),
        content="Tố cáo cán bộ xã nhận tiền",
        documents_handed_in="Đơn tố cáo (2 trang)",
    )
    assert "Trịnh" not in visit.citizens_sealed
    assert visitors(reception.actor(reception.officer2), visit) is None
    assert seen(visitors(reception.actor(reception.chief), visit)).name == DENOUNCER
    petition = reception.denunciation(
        visit=visit,
        received_on=D(2026, 3, 10),
        identity=Identity(),
    )
    assert petition.channel == "visit" and petition.visit == visit
    assert seen(sender(reception.actor(reception.chief), petition)).phone == DENOUNCER_PHONE
    with pytest.raises(ValidationError):
        record_visit(
            officer,
            session=session,
            visited_on=D(2026, 3, 11),
            content_kind=PetitionKind.PROPOSAL,
            identity=Identity.cleaned(name="A"),
            content="x",
        )
