import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vanphong.accounts.models import User


def test_createuser_makes_a_member_with_roles_and_clearance(org_a, monkeypatch):
    monkeypatch.setenv("VANPHONG_NEW_PASSWORD", "Mot-mat-khau-dai-2026")
    call_command(
        "createuser", "vanthu", organisation="ngoc-son", roles=["clerk"], clearance=1, name="Lê Thị Hoa"
    )
    user = User.objects.get(username="vanthu")
    membership = user.memberships.get()
    assert (membership.organisation, membership.roles, membership.clearance) == (org_a, ["clerk"], 1)
    assert user.get_full_name() == "Lê Thị Hoa"
    assert user.check_password("Mot-mat-khau-dai-2026")


def test_createuser_refuses_an_unknown_organisation_and_weak_passwords(org_a, monkeypatch):
    monkeypatch.setenv("VANPHONG_NEW_PASSWORD", "Mot-mat-khau-dai-2026")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("createuser", "vanthu", organisation="khong-co")
    monkeypatch.setenv("VANPHONG_NEW_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createuser", "vanthu", organisation="ngoc-son")
    assert not User.objects.exists()


def test_a_user_needs_an_organisation(db):
    from django.core.exceptions import ValidationError

    from vanphong.accounts.services import create_user

    with pytest.raises(ValidationError) as info:
        create_user(by=None, username="lac", password="x" * 12, organisation=None)
    assert "organisation" in info.value.message_dict
    assert not User.objects.exists()


def test_unknown_roles_are_refused_and_nothing_is_saved(org_a):
    from django.core.exceptions import ValidationError

    from vanphong.testing import make_user

    with pytest.raises(ValidationError):
        make_user(org_a, "vanthu", roles=["emperor"])
    assert not User.objects.exists()
