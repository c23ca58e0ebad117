"""/api/v1/petitions/ with real tokens: the same access rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from vanphong.accounts.tokens import create_token
from vanphong.core.models import AuditEvent
from vanphong.petitions.tests.conftest import DENOUNCER, DENOUNCER_PHONE

API = "/api/v1/petitions/"
pytestmark = pytest.mark.django_db


def get(user, organisation, path=""):
    _token, key = create_token(by=None, user=user, organisation=organisation, name="test")
    return Client().get(API + path, headers={"Authorization": f"Bearer {key}"})


def test_clerk_gets_403_and_other_organisations_404(reception, org_b):
    from vanphong.petitions.tests.conftest import build_reception

    petition = reception.denunciation()
    assert get(reception.clerk, reception.org).status_code == 403
    assert get(reception.clerk, reception.org, f"{petition.pk}").status_code == 403
    other = build_reception(org_b, prefix="b.")
    assert get(other.chief, org_b, f"{petition.pk}").status_code == 404
    assert Client().get(API).status_code == 401


def test_lists_never_carry_identities_and_the_detail_only_for_the_entitled(reception):
    petition = reception.denunciation()
    complaint = reception.petition()
    listing = get(reception.chief, reception.org)
    assert listing.status_code == 200 and listing.json()["count"] == 2
    assert DENOUNCER not in listing.content.decode() and "Nguyễn Văn Hùng" not in listing.content.decode()
    hidden = get(reception.officer2, reception.org, f"{petition.pk}")
    assert hidden.status_code == 200
    body = hidden.json()
    assert body["sender"] is None and body["sender_protected"] is True
    assert DENOUNCER not in hidden.content.decode() and DENOUNCER_PHONE not in hidden.content.decode()
    assert body["acceptance_rule"] == "Luật Tố cáo 2018, Điều 24"
    before = AuditEvent.objects.filter(action="petition.identity_viewed").count()
    shown = get(reception.chief, reception.org, f"{petition.pk}").json()
    assert shown["sender"]["name"] == DENOUNCER and shown["sender"]["phone"] == DENOUNCER_PHONE
    assert AuditEvent.objects.filter(action="petition.identity_viewed").count() == before + 1
    assert (
        get(reception.officer2, reception.org, f"{complaint.pk}").json()["sender"]["name"]
        == "Nguyễn Văn Hùng"
    )


def test_filters(reception):
    reception.denunciation()
    reception.petition()
    assert get(reception.officer, reception.org, "?kind=denunciation").json()["count"] == 1
    assert get(reception.officer, reception.org, "?q=thu+hoi+dat").json()["count"] == 1
    assert get(reception.officer, reception.org, "?kind=nonsense").status_code == 422


def test_a_petition_names_the_one_it_resembles_in_the_list_and_by_its_id(reception):
    from vanphong.petitions.models import Petition

    first, second = reception.petition(), reception.petition()
    Petition.objects.filter(pk=second.pk).update(similar_to=first)
    listed = {item["id"]: item for item in get(reception.chief, reception.org).json()["items"]}
    assert listed[second.pk]["similar_to"] == first.pk and listed[first.pk]["similar_to"] is None
    assert get(reception.chief, reception.org, f"{second.pk}").json()["similar_to"] == first.pk
