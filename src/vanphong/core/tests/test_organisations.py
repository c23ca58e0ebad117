import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.core.models import Organisation
from vanphong.core.services import save_organisation
from vanphong.testing import make_organisation, make_user


@pytest.mark.parametrize("symbol", ["T U", "T/U", "", "HU-", "1TU", "X" * 21])
def test_invalid_symbols_are_refused_with_a_message(db, symbol):
    with pytest.raises(ValidationError) as info:
        make_organisation("xa-tan-hoa", symbol)
    assert "symbol" in info.value.message_dict
    assert not Organisation.objects.exists()


def test_symbols_with_d_stroke_are_valid(db):
    org = make_organisation("xa-tan-hoa", "ĐU", level="commune", name="Đảng ủy xã Tân Hòa")
    assert org.symbol == "ĐU"
    assert make_organisation("xa-binh-an", "  đu ", level="commune").symbol == "ĐU"


def test_duplicate_code_is_refused(org_a):
    with pytest.raises(ValidationError) as info:
        make_organisation("ngoc-son", "TU")
    assert "code" in info.value.message_dict


def test_successor_needs_an_end_date_and_parent_cycles_are_refused(org_a):
    district = make_organisation("hu-thanh-binh", "HU", level="district", parent=org_a)
    district.successor = org_a
    with pytest.raises(ValidationError):
        save_organisation(by=None, organisation=district)
    district.active_until = datetime.date(2025, 6, 30)
    save_organisation(by=None, organisation=district)
    org_a.parent = district
    with pytest.raises(ValidationError):
        save_organisation(by=None, organisation=org_a)


def test_only_superusers_manage_organisations(org_a):
    admin = make_user(org_a, "quantri", roles=["administrator"])
    with pytest.raises(PermissionDenied):
        save_organisation(by=admin, organisation=org_a)
