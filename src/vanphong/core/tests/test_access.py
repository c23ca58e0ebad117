import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from vanphong.core.access import ANONYMOUS, access_object, access_object_for_change, visible
from vanphong.core.models import Organisation
from vanphong.org.models import Person
from vanphong.testing import actor_of, make_organisation, make_person, make_user


def test_fetch_by_id_is_404_for_another_organisation_and_for_nonsense(org_a, org_b):
    mine = make_person(org_a, "Nguyễn Văn An")
    theirs = make_person(org_b, "Trần Văn Bình")
    actor = actor_of(make_user(org_a, "vanthu", roles=["clerk"]), org_a)
    assert access_object(actor, Person, mine.pk) == mine
    for pk in (theirs.pk, 10**9, "abc", None):
        with pytest.raises(Http404):
            access_object(actor, Person, pk)


def test_lists_and_counts_are_filtered_in_the_query(org_a, org_b):
    make_person(org_a, "Nguyễn Văn An")
    make_person(org_b, "Trần Văn Bình")
    actor = actor_of(make_user(org_a, "vanthu", roles=["clerk"]), org_a)
    assert visible(actor, Person).count() == 1
    assert "organisation_id" in str(visible(actor, Person).query)
    assert visible(ANONYMOUS, Person).count() == 0


def test_change_needs_the_permission(org_a):
    person = make_person(org_a, "Nguyễn Văn An")
    clerk = actor_of(make_user(org_a, "vanthu", roles=["clerk"]), org_a)
    with pytest.raises(PermissionDenied):
        access_object_for_change(clerk, Person, person.pk)
    chief = actor_of(make_user(org_a, "chanhvp", roles=["office_chief"]), org_a)
    assert access_object_for_change(chief, Person, person.pk) == person


def test_unknown_permission_names_fail_loudly(org_a):
    actor = actor_of(make_user(org_a, "vanthu", roles=["clerk"]), org_a)
    with pytest.raises(LookupError):
        actor.has_perm("documents.regsiter")


def test_a_parent_sees_its_children_and_a_child_not_its_siblings(db):
    province = make_organisation("tinh", "TU")
    commune = make_organisation("xa-a", "ĐU", level="commune", parent=province)
    sibling = make_organisation("xa-b", "ĐU", level="commune", parent=province)
    province_actor = actor_of(make_user(province, "tinh.vp", roles=["office_chief"]), province)
    commune_actor = actor_of(make_user(commune, "xa.vp", roles=["office_chief"]), commune)
    assert set(visible(province_actor, Organisation)) == {province, commune, sibling}
    assert set(visible(commune_actor, Organisation)) == {commune}
