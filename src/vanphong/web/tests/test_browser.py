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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_date_typed_in_an_english_browser_is_stored_day_first_and_said_in_words(page, live_server, org_a):
    from vanphong.org.models import PositionHolding
    from vanphong.testing import make_position, sign_in, today

    position = make_position(org_a, "Chánh Văn phòng")
    make_person(org_a, "Nguyễn Văn Bảo")
    make_user(org_a, "chanhvp", roles=["office_chief"])
    english = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = english.new_page()
    sign_in(page, live_server.url, "chanhvp", TEST_PASSWORD)
    page.goto(f"{live_server.url}/org/positions/{position.pk}/")
    start = today().replace(day=2)
    weekday = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"][start.weekday()]
    month = f"{start.month:02d}" if start.month <= 2 else str(start.month)
    page.fill("#id_start_date", start.strftime("%d%m%Y"))  # typed as digits, day first
    words = page.locator("#id_start_date ~ .date-words")
    assert words.inner_text() == f"{weekday}, ngày 02 tháng {month} năm {start.year}"

    page.click("form.lang button[value=en]")  # the interface in English too
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.fill("#id_start_date", start.strftime("%d%m%Y"))
    assert words.inner_text() == start.strftime("%A, %-d %B %Y")
    far = start.replace(year=start.year + 2)
    page.fill("#id_start_date", far.strftime("%d/%m/%Y"))
    assert "more than a year from today" in words.inner_text()
    page.fill("#id_start_date", start.strftime("%d/%m/%Y"))
    page.click("#id_start_date + .date-button")  # the calendar opens on its button, in English
    selected = page.locator(".flatpickr-calendar.open .flatpickr-day.selected")
    assert selected.get_attribute("aria-label") == start.strftime("%B %-d, %Y")
    page.click("#id_start_date + .date-button")
    page.select_option("#id_person", label="Nguyễn Văn Bảo")
    shot(page, "date-field-english")
    page.click("form button.primary")
    page.wait_for_load_state()
    assert PositionHolding.objects.get(position=position).start_date == start
    english.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_office_chief_opens_the_day_on_his_work(page, live_server, org_a):
    from vanphong.documents.tests.conftest import build_office
    from vanphong.testing import sign_in

    office = build_office(org_a)
    office.register(summary="V/v báo cáo sơ kết công tác tổ chức xây dựng Đảng", urgency=1)
    sign_in(page, live_server.url, office.chief.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/")
    first = page.locator("#my-work + table tbody tr").first
    assert "Chuyển xử lý" in first.inner_text() and "khẩn" in first.inner_text()
    for width in (1366, 1024, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"home-my-work-{width}")
    first.locator("a").click()
    page.wait_for_load_state()
    assert "/documents/incoming/" in page.url
