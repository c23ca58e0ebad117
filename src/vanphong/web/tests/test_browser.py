"""A real Chromium (Debian's, driven by Playwright) signs in and uses the people directory."""

from __future__ import annotations

import pytest

from vanphong.testing import TEST_PASSWORD, make_person, make_unit, make_user, shot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clerk_signs_in_and_finds_people_without_diacritics(page, live_server, org_a):
    office = make_unit(org_a, "Văn phòng Tỉnh ủy")
    for name in ("Nguyễn Văn Bảo", "Trần Thị Ánh", "Lê Minh An", "Đỗ Thị Hằng"):
        make_person(org_a, name, unit=office, job_title="Chuyên viên")
    make_user(org_a, "vanthu", roles=["clerk"], full_name="Phạm Thu Hà")

    page.goto(f"{live_server.url}/org/people/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "vanthu")
    page.fill("#id_password", "sai-mat-khau")
    page.click("button.primary")
    assert page.locator("[role=alert]").is_visible()
    page.fill("#id_username", "vanthu")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/org/people/")
    assert page.locator("h1").inner_text() == "Danh bạ cán bộ"
    names = page.locator("table.people tbody td:nth-child(2)").all_inner_texts()
    assert names == ["Lê Minh An", "Trần Thị Ánh", "Nguyễn Văn Bảo", "Đỗ Thị Hằng"]

    page.fill("#id_q", "do thi hang")
    page.wait_for_function("document.querySelectorAll('table.people tbody tr').length === 1")
    assert page.locator("table.people tbody td:nth-child(2)").all_inner_texts() == ["Đỗ Thị Hằng"]
    shot(page, "people-directory")

    page.click("form.lang button[value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "People directory"
