"""The pytest plugin of Vanphong's tests: the frozen clock, fast password hashing, two organisations,
signed-in clients and a real browser page. Loaded by the root conftest.py."""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from vanphong import testing
from vanphong.accounts.models import User
from vanphong.core.models import Organisation
from vanphong.testing import CHROMIUM


@pytest.fixture(autouse=True)
def frozen_clock(time_machine: Any) -> datetime.datetime:
    """Every test starts at the same moment (`testing.clock_start()`), and the clock runs on from it.

    Tests derive their dates from this moment; a test about a given date moves the clock itself
    with `time_machine.move_to(...)`. CI runs the suite again with `VANPHONG_TEST_NOW` set to other
    days (after New Year, just before Tết), so no test depends on the day it runs.
    """
    now = testing.clock_start()
    time_machine.move_to(now, tick=True)
    return now


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def org_a(db: Any) -> Organisation:
    return testing.make_organisation("ngoc-son", "TU", name="Tỉnh ủy Ngọc Sơn")


@pytest.fixture
def org_b(db: Any) -> Organisation:
    return testing.make_organisation("lam-ha", "TU", name="Tỉnh ủy Lâm Hà")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    """A page in Debian's Chromium driven by Playwright, Vietnamese locale, 1280×900."""
    # Playwright's sync API keeps an event loop on this thread; the test body's database calls are
    # still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        yield context.new_page()
        context.close()
        browser.close()


# -- tests that need programs outside Python --------------------------------------------------------
# Marked `browser`, `ocr` or `libreoffice`; skipped with the reason where the program is missing, unless
# its VANPHONG_REQUIRE_* variable is set (as .ci/run does): then they run and fail without it.


def _ocr_ready() -> bool:
    from vanphong.documents import ocr
    from vanphong.search.tests.scans import font_path

    return bool(ocr.ocr_status()[0] and font_path())


OUTSIDE_PROGRAMS: dict[str, tuple[Callable[[], bool], str, str]] = {
    "browser": (
        lambda: CHROMIUM is not None,
        "VANPHONG_REQUIRE_BROWSER",
        "Chromium is not installed (apt-get install chromium)",
    ),
    "ocr": (
        _ocr_ready,
        "VANPHONG_REQUIRE_OCR",
        "Tesseract with its Vietnamese model, Ghostscript or a font with Vietnamese glyphs is missing "
        "(apt-get install tesseract-ocr tesseract-ocr-vie ghostscript fonts-liberation2)",
    ),
    "libreoffice": (
        lambda: bool(shutil.which("soffice") or shutil.which("libreoffice")),
        "VANPHONG_REQUIRE_LIBREOFFICE",
        "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
    ),
}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    present: dict[str, bool] = {}
    for item in items:
        for marker, (available, required, reason) in OUTSIDE_PROGRAMS.items():
            if item.get_closest_marker(marker) is None or os.environ.get(required):
                continue
            if marker not in present:
                present[marker] = available()
            if not present[marker]:
                item.add_marker(pytest.mark.skip(reason=f"{reason}; .ci/run installs it"))
