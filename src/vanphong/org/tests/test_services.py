import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.core.models import AuditEvent
from vanphong.org import services
from vanphong.org.models import Body, BodyMembership, Person, PositionHolding, Term
from vanphong.testing import (
    actor_of,
    appoint,
    make_person,
    make_position,
    make_term,
    make_unit,
    make_user,
    system,
)

D = datetime.date


def test_terms_of_one_committee_may_not_overlap(org_a):
    make_term(org_a, "Khóa XIV", D(2020, 10, 15), D(2025, 10, 14))
    with pytest.raises(ValidationError, match="Khóa XIV"):
        make_term(org_a, "Khóa XV", D(2025, 10, 1))
    assert Term.objects.count() == 1
    make_term(org_a, "Khóa XV", D(2025, 10, 15))
    with pytest.raises(ValidationError):  # a second open-ended term overlaps the current one
        make_term(org_a, "Khóa XVI", D(2030, 10, 15))


def test_position_with_one_seat_refuses_a_second_holder(org_a):
    chief = make_position(org_a, "Chánh Văn phòng")
    an = make_person(org_a, "Nguyễn Văn An")
    binh = make_person(org_a, "Trần Thị Bình")
    appoint(chief, an, D(2020, 1, 1))
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Nguyễn Văn An"):
        appoint(chief, binh, D(2024, 1, 1))
    assert PositionHolding.objects.count() == 1
    assert AuditEvent.objects.count() == events_before  # nothing half-written
    holding = PositionHolding.objects.get()
    services.end_holding(system(org_a), holding, D(2023, 12, 31))
    appoint(chief, binh, D(2024, 1, 1))
    assert [h.person.given_name for h in chief.holdings.order_by("start_date")] == ["An", "Bình"]


def test_position_with_several_seats(org_a):
    deputy = make_position(org_a, "Phó Chánh Văn phòng", seats=2)
    people = [make_person(org_a, name) for name in ("Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")]
    appoint(deputy, people[0], D(2021, 1, 1))
    appoint(deputy, people[1], D(2022, 1, 1), D(2023, 6, 30))
    with pytest.raises(ValidationError):
        appoint(deputy, people[2], D(2023, 1, 1))
    appoint(deputy, people[2], D(2023, 7, 1))


def test_same_person_twice_in_a_body_in_one_period_is_refused(org_a):
    term = make_term(org_a, "Khóa XV", D(2025, 10, 15))
    body = services.save_body(system(org_a), Body(term=term, kind="btv", name="Ban Thường vụ"))
    an = make_person(org_a, "Nguyễn Văn An")
    services.save_body_membership(
        system(org_a), BodyMembership(body=body, person=an, role="secretary", start_date=D(2025, 10, 15))
    )
    with pytest.raises(ValidationError):
        services.save_body_membership(
            system(org_a), BodyMembership(body=body, person=an, role="member", start_date=D(2026, 1, 1))
        )
    with pytest.raises(ValidationError) as info:
        services.save_body_membership(
            system(org_a),
            BodyMembership(body=body, person=make_person(org_a, "Lê Bình"), start_date=D(2020, 1, 1)),
        )
    assert "nhiệm kỳ" in info.value.message_dict["start_date"][0]


def test_decomposed_unicode_is_stored_composed(org_a):
    import unicodedata

    person = make_person(org_a, unicodedata.normalize("NFD", "Nguyễn Thị Ánh"))
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", person.family_name + person.given_name)
    assert person.search_name == "nguyen thi anh"


def test_specialist_may_not_change_structure(org_a):
    specialist = make_user(org_a, "chuyenvien", roles=["specialist"])
    with pytest.raises(PermissionDenied):
        services.save_person(actor_of(specialist, org_a), Person(family_name="Lê", given_name="An"))
    assert not Person.objects.exists()


def test_rows_of_another_organisation_cannot_be_linked(org_a, org_b):
    unit_b = make_unit(org_b, "Văn phòng")
    with pytest.raises(ValidationError):
        services.save_person(system(org_a), Person(family_name="Lê", given_name="An", unit=unit_b))


def test_unit_names_unique_within_an_organisation(org_a, org_b):
    make_unit(org_a, "Văn phòng Tỉnh ủy")
    make_unit(org_b, "Văn phòng Tỉnh ủy")
    with pytest.raises(ValidationError):
        make_unit(org_a, "Văn phòng Tỉnh ủy")
