import io

import pytest
from django.core.management import CommandError, call_command

from vanphong.accounts.models import User
from vanphong.core import audit
from vanphong.core.models import Organisation
from vanphong.org.models import BodyKind, Person, Position, Term


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_loads_a_province_once_and_prints_the_logins():
    first = _demo()
    assert "admin" in first and "vanphong-demo" in first
    counts = (Organisation.objects.count(), Person.objects.count(), User.objects.count())
    second = _demo()
    assert (Organisation.objects.count(), Person.objects.count(), User.objects.count()) == counts
    assert "vanthu" in second

    province = Organisation.objects.get(code="tu-ngoc-son")
    assert 50 <= Person.objects.filter(organisation=province, is_active=True).count() <= 70
    assert province.children.filter(level="commune").count() == 3
    district = Organisation.objects.get(level="district")
    assert str(district.active_until) == "2025-06-30" and district.successor == province
    assert (
        Position.objects.get(organisation=district, title="Chánh Văn phòng Huyện ủy").holdings.count() == 22
    )
    term = Term.objects.get(organisation=province, end_date__isnull=True)
    assert {body.kind for body in term.bodies.all()} == {
        BodyKind.EXECUTIVE,
        BodyKind.STANDING,
        BodyKind.STANDING_BOARD,
    }
    assert User.objects.get(username="admin").is_superuser
    roles = {code for user in User.objects.all() for m in user.memberships.all() for code in m.roles}
    assert len(roles) == 10  # a user for every role
    _checked, problems = audit.verify()
    assert problems == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_demo_that_fails_half_way_leaves_an_empty_database_and_loads_next_time(monkeypatch):
    from vanphong.followup import demo

    def broken(province, communes):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "build_demo", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _demo()
    assert not Organisation.objects.exists() and not User.objects.exists()
    monkeypatch.undo()
    assert "vanthu" in _demo()
    assert Organisation.objects.filter(code="tu-ngoc-son").exists()


@pytest.mark.django_db
def test_the_demo_refuses_a_database_with_other_organisations(org_a):
    with pytest.raises(CommandError, match="empty"):
        _demo()
    assert list(Organisation.objects.all()) == [org_a]
