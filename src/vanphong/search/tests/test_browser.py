"""Searching as a specialist does in a real Chromium: suggestions while typing in the top bar, then the
results page, its facets and its order."""

from __future__ import annotations

import pytest

from vanphong.testing import TEST_PASSWORD, shot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_suggestions_facets_and_order_in_the_browser(page, live_server, office):
    import datetime

    for number, (symbol, day) in enumerate(
        [
            ("CV", datetime.date(2025, 4, 2)),
            ("NQ", datetime.date(2026, 2, 9)),
            ("CV", datetime.date(2026, 5, 6)),
        ]
    ):
        office.register(
            doc_type=office.doc_type(symbol),
            sender_reference=f"{number + 1}-{symbol}/TU",
            summary=f"Về phòng chống thiên tai đợt {number + 1}",
            document_date=day,
        )
    office.register(
        user=office.chief,
        sender_reference="9-CV/BTCTW",
        summary="Về phòng chống thiên tai ở khu vực quân sự (tài liệu mật)",
        secrecy=2,
    )
    base = live_server.url
    sign_in(page, base, "chuyenvien", TEST_PASSWORD)

    # Suggestions appear while typing, only of what the specialist may see.
    page.fill(".quick-search input", "phong chong thien tai")
    page.wait_for_selector(".suggestions a.all")
    shot(page, "search-suggestions")
    suggestions = page.locator(".suggestions").inner_text()
    assert "đợt 1" in suggestions and "quân sự" not in suggestions
    assert "Tất cả 3 kết quả" in suggestions

    # Enter opens the results page: three letters, two types to narrow by.
    page.press(".quick-search input", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("ol.results li").count() == 3
    facets = page.locator("aside.facets").inner_text()
    assert "Công văn" in facets and "Nghị quyết" in facets and "quân sự" not in page.content()
    shot(page, "search-results")
    page.click("aside.facets a:has-text('Công văn')")
    page.wait_for_load_state()
    assert page.locator("ol.results li").count() == 2
    assert "loai:CV" in page.locator(".search-form input[name=q]").input_value()

    # Newest first: the letter of May 2026 before that of April 2025; the filter can be removed again.
    page.click("nav.sort a:has-text('Mới nhất')")
    page.wait_for_load_state()
    dates = page.locator("ol.results li .muted").all_inner_texts()
    assert "06/05/2026" in dates[0] and "02/04/2025" in dates[1]
    shot(page, "search-narrowed-newest")
    page.click("aside.facets li.selected a")
    page.wait_for_load_state()
    assert page.locator("ol.results li").count() == 3
