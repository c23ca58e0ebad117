"""Builders for tests: real rows made through the real services."""

from __future__ import annotations

import datetime
import os
import shutil
import threading
import zoneinfo
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from vanphong.accounts.models import Membership, User
from vanphong.accounts.services import create_user
from vanphong.core.access import Actor
from vanphong.core.models import Clearance, Organisation, OrganisationLevel
from vanphong.core.services import create_organisation
from vanphong.core.text import split_full_name
from vanphong.org import services as org_services
from vanphong.org.models import Person, Position, PositionHolding, Term, Unit

TEST_PASSWORD = "Mật-khẩu-thử-2026"

# A working Monday; CI also runs the suite with VANPHONG_TEST_NOW moved (see .ci/run).
DEFAULT_TEST_NOW = "2026-12-07T09:00"


def clock_start() -> datetime.datetime:
    """The moment every test starts at, in Vietnam's time (`VANPHONG_TEST_NOW`, ISO, local time)."""
    local = datetime.datetime.fromisoformat(os.environ.get("VANPHONG_TEST_NOW") or DEFAULT_TEST_NOW)
    if local.tzinfo is None:
        local = local.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local


def today() -> datetime.date:
    """Today in Vietnam by the (frozen) clock."""
    return timezone.localdate()


def make_organisation(code: str, symbol: str = "TU", **fields: Any) -> Organisation:
    defaults: dict[str, Any] = {
        "name": f"Tỉnh ủy {code.title()}",
        "short_name": code.upper(),
        "level": OrganisationLevel.PROVINCE,
        "place_name": "Ngọc Sơn",
    }
    defaults.update(fields)
    return create_organisation(by=None, code=code, symbol=symbol, **defaults)


def make_user(
    organisation: Organisation,
    username: str,
    roles: Iterable[str] = (),
    clearance: int = Clearance.NONE,
    **fields: Any,
) -> User:
    return create_user(
        by=None,
        username=username,
        password=TEST_PASSWORD,
        organisation=organisation,
        roles=roles,
        clearance=clearance,
        check_password=False,
        **fields,
    )


def actor_of(user: User, organisation: Organisation) -> Actor:
    return Actor.for_membership(
        Membership.objects.select_related("organisation", "user").get(user=user, organisation=organisation)
    )


def system(organisation: Organisation) -> Actor:
    return Actor.system_for(organisation)


def make_person(organisation: Organisation, full_name: str, **fields: Any) -> Person:
    family, middle, given = split_full_name(full_name)
    person = Person(family_name=family, middle_name=middle, given_name=given, **fields)
    return org_services.save_person(system(organisation), person)


def make_unit(organisation: Organisation, name: str, kind: str = "office", **fields: Any) -> Unit:
    return org_services.save_unit(system(organisation), Unit(name=name, kind=kind, **fields))


def make_term(
    organisation: Organisation, name: str, start: datetime.date, end: datetime.date | None = None
) -> Term:
    return org_services.save_term(system(organisation), Term(name=name, start_date=start, end_date=end))


def make_position(organisation: Organisation, title: str, **fields: Any) -> Position:
    return org_services.save_position(system(organisation), Position(title=title, **fields))


def appoint(
    position: Position, person: Person, start: datetime.date, end: datetime.date | None = None
) -> PositionHolding:
    holding = PositionHolding(position=position, person=person, start_date=start, end_date=end)
    return org_services.save_holding(system(position.organisation), holding)


# -- concurrency -------------------------------------------------------------------------------


def race(*calls: Callable[[], Any]) -> list[BaseException | Any]:
    """Run the calls at once in threads (each with its own connection); their results or errors."""
    start = threading.Barrier(len(calls))
    outcomes: list[BaseException | Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            start.wait()
            outcomes[index] = calls[index]()
        except BaseException as error:  # returned to the test
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def one_wins(outcomes: list[Any]) -> None:
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == len(outcomes) - 1, outcomes
    assert all(isinstance(o, ValidationError) and o.code == "state" for o in refused), refused


# -- browser tests -----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("VANPHONG_ARTIFACTS", "test-artifacts"))


def shot(page: Any, name: str) -> None:
    """A full-page screenshot in the artifacts folder, to look at the page as its user would."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_load_state()
