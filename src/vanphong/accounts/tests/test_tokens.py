"""API tokens: only the hash is stored, revoked or stale tokens act as nobody, the command works."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.models import ApiToken, Membership
from vanphong.accounts.services import set_membership
from vanphong.accounts.tokens import actor_for_token, create_token, revoke_token
from vanphong.core.models import AuditEvent
from vanphong.testing import make_user


@pytest.fixture
def clerk(org_a):
    return make_user(org_a, "vanthu", roles=["clerk"], clearance=1)


def test_a_token_stores_only_the_hash_and_acts_with_the_membership(org_a, clerk):
    token, key = create_token(by=None, user=clerk, organisation=org_a, name="Phần mềm lưu trữ")
    assert key.startswith("vp_") and len(key) == 3 + 43
    assert token.prefix == key[:8]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    actor = actor_for_token(key)
    assert actor is not None
    assert (actor.user, actor.organisation, actor.roles, actor.clearance) == (
        clerk,
        org_a,
        frozenset({"clerk"}),
        1,
    )
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.after == {"user": "vanthu", "name": "Phần mềm lưu trữ", "prefix": token.prefix}
    assert key not in str(event.after) and token.key_hash not in str(event.after)


def test_unknown_revoked_and_inactive_tokens_act_as_nobody(org_a, clerk):
    token, key = create_token(by=None, user=clerk, organisation=org_a)
    assert actor_for_token("") is None
    assert actor_for_token(key + "x") is None
    assert actor_for_token(key[:-1]) is None
    assert actor_for_token("vp_" + "a" * 500) is None
    set_membership(by=None, user=clerk, organisation=org_a, roles=["clerk"], clearance=1, is_active=False)
    assert actor_for_token(key) is None
    set_membership(by=None, user=clerk, organisation=org_a, roles=["clerk"], clearance=1, is_active=True)
    assert actor_for_token(key) is not None
    clerk.is_active = False
    clerk.save()
    assert actor_for_token(key) is None
    clerk.is_active = True
    clerk.save()
    revoke_token(by=None, token=token)
    assert actor_for_token(key) is None
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    with pytest.raises(ValidationError):
        revoke_token(by=None, token=token)


def test_the_membership_is_read_at_each_request(org_a, clerk):
    _token, key = create_token(by=None, user=clerk, organisation=org_a)
    set_membership(by=None, user=clerk, organisation=org_a, roles=["specialist"], clearance=0)
    actor = actor_for_token(key)
    assert actor is not None
    assert (actor.roles, actor.clearance) == (frozenset({"specialist"}), 0)


def test_a_token_acts_only_in_its_organisation(org_a, org_b, clerk):
    set_membership(by=None, user=clerk, organisation=org_b, roles=["office_chief"], clearance=3)
    _token, key = create_token(by=None, user=clerk, organisation=org_a)
    actor = actor_for_token(key)
    assert actor is not None and actor.organisation == org_a and actor.roles == frozenset({"clerk"})


def test_last_used_is_written_at_most_once_a_minute(org_a, clerk, monkeypatch):
    token, key = create_token(by=None, user=clerk, organisation=org_a)
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    actor_for_token(key)
    token.refresh_from_db()
    assert token.last_used_at == start
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=30))
    actor_for_token(key)
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + datetime.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    actor_for_token(key)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_who_may_create_tokens(org_a, org_b, clerk):
    other = make_user(org_a, "chuyenvien", roles=["specialist"])
    admin = make_user(org_a, "quantri", roles=["administrator"])
    outsider = make_user(org_b, "b.quantri", roles=["administrator"])
    create_token(by=clerk, user=clerk, organisation=org_a)  # one's own
    create_token(by=admin, user=clerk, organisation=org_a)  # the organisation's administrator
    with pytest.raises(PermissionDenied):
        create_token(by=other, user=clerk, organisation=org_a)
    with pytest.raises(PermissionDenied):
        create_token(by=outsider, user=clerk, organisation=org_a)
    with pytest.raises(ValidationError) as info:
        create_token(by=None, user=clerk, organisation=org_b)  # not a member there
    assert "organisation" in info.value.message_dict
    assert ApiToken.objects.count() == 2


def test_the_token_command_creates_a_usable_key_lists_and_revokes(org_a, clerk):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "vanthu", organisation="ngoc-son", name="Lưu trữ", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("vp_")
    assert "cannot be shown again" in err.getvalue()
    response = Client().get("/api/v1/documents/incoming", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["count"] == 0

    listing = io.StringIO()
    call_command("token", "list", "vanthu", stdout=listing)
    assert (
        key[:8] in listing.getvalue() and "Lưu trữ" in listing.getvalue() and "active" in listing.getvalue()
    )
    assert key not in listing.getvalue()

    call_command("token", "revoke", key[:8], stdout=io.StringIO())
    assert (
        Client().get("/api/v1/documents/incoming", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )
    listing = io.StringIO()
    call_command("token", "list", "vanthu", stdout=listing)
    assert "revoked" in listing.getvalue()


def test_the_token_command_refuses_unknown_names(org_a, org_b, clerk):
    with pytest.raises(CommandError, match="No user"):
        call_command("token", "create", "khongco", organisation="ngoc-son")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("token", "create", "vanthu", organisation="khong-co")
    with pytest.raises(CommandError):
        call_command("token", "create", "vanthu", organisation="lam-ha")  # not a member there
    with pytest.raises(CommandError, match="No token"):
        call_command("token", "revoke", "vp_xxxxx")
    assert not ApiToken.objects.exists()
    assert Membership.objects.filter(user=clerk).count() == 1


# -- through the API: a locked or deactivated account's tokens act as nobody -----------------------

INCOMING = "/api/v1/documents/incoming"


def _api(key: str) -> int:
    return Client().get(INCOMING, headers={"Authorization": f"Bearer {key}"}).status_code


def _guess_passwords(username: str, times: int, address: str = "127.0.0.1") -> None:
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "doan-sai-mat-khau"})


def test_a_token_stops_while_its_account_is_locked_by_sign_in_throttling(
    org_a, clerk, settings, time_machine
):
    _token, key = create_token(by=None, user=clerk, organisation=org_a, name="Phần mềm lưu trữ")
    assert _api(key) == 200
    # Someone guesses the clerk's password from another machine until sign-in locks the account.
    _guess_passwords("vanthu", settings.AXES_FAILURE_LIMIT - 1, address="10.0.0.7")
    assert _api(key) == 200  # not locked yet
    _guess_passwords("vanthu", 1, address="10.0.0.7")
    assert _api(key) == 401
    # The lock ends after the cool-off time (15 minutes), and the token works again.
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=16))
    assert _api(key) == 200


def test_an_administrator_unlocking_the_account_restores_its_tokens(org_a, clerk, settings):
    _token, key = create_token(by=None, user=clerk, organisation=org_a)
    _guess_passwords("vanthu", settings.AXES_FAILURE_LIMIT)
    assert _api(key) == 401
    call_command("axes_reset_username", "vanthu", stdout=io.StringIO())
    assert _api(key) == 200


def test_a_token_stops_when_its_user_or_membership_is_deactivated(org_a, clerk):
    _token, key = create_token(by=None, user=clerk, organisation=org_a)
    set_membership(by=None, user=clerk, organisation=org_a, roles=["clerk"], clearance=1, is_active=False)
    assert _api(key) == 401
    set_membership(by=None, user=clerk, organisation=org_a, roles=["clerk"], clearance=1, is_active=True)
    assert _api(key) == 200
    clerk.is_active = False
    clerk.save()
    assert _api(key) == 401
