import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vanphong.core import audit
from vanphong.core.models import AuditChain, AuditEvent
from vanphong.testing import make_person, make_user


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_writes_are_chained_per_organisation(org_a, org_b):
    make_person(org_a, "Nguyễn Văn An")
    make_person(org_a, "Trần Thị Bình")
    make_person(org_b, "Lê Văn Cường")
    chain_a = AuditChain.objects.get(organisation=org_a)
    events = list(AuditEvent.objects.filter(chain=chain_a).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.action for e in events][-2:] == ["person.created", "person.created"]
    for previous, current in itertools.pairwise(events):
        assert current.prev_hash == previous.hash
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert (events[-1].after or {})["given_name"] == "Bình"
    assert "intact: " in _verify()


def test_verify_detects_a_changed_entry(org_a):
    make_person(org_a, "Nguyễn Văn An")
    event = AuditEvent.objects.filter(action="person.created").get()
    AuditEvent.objects.filter(pk=event.pk).update(after={**(event.after or {}), "given_name": "Ân"})
    with pytest.raises(CommandError, match="FAILED"):
        _verify()


def test_verify_detects_a_deleted_entry_in_the_middle_and_at_the_end(org_a):
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        make_person(org_a, name)
    chain = AuditChain.objects.get(organisation=org_a)
    middle = AuditEvent.objects.filter(chain=chain).order_by("seq")[1]
    middle.delete()
    _checked, problems = audit.verify()
    assert {p.problem for p in problems} >= {"missing", "broken link"}

    AuditEvent.objects.filter(chain=chain).delete()
    _checked, problems = audit.verify([chain])
    assert [p.problem for p in problems] == ["missing at the end"]


def test_events_record_actor_and_before_after(org_a):
    admin = make_user(org_a, "quantri", roles=["administrator"])
    event = AuditEvent.objects.filter(action="membership.created", object_repr__startswith="quantri").get()
    assert (event.after or {})["roles"] == ["administrator"]
    assert event.actor_username == audit.SYSTEM_ACTOR
    assert admin.memberships.get().organisation == org_a


def test_an_undeclared_event_fails_loudly(org_a):
    from vanphong.testing import system

    with pytest.raises(LookupError):
        audit.record(system(org_a), "person.creatd")
