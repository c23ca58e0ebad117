"""Nothing leaks, nothing breaks: every role of the demo walks every page it can reach, and every
page without an id in its address takes odd query strings.

The crawl: for each demo user, signed in, the home page and the links of every page fetched, breadth
first (bounded: pages per role, pages per URL name), exports included (XLSX, print view, DOCX, PDF,
iCalendar), and a search for each planted secret (by a key word beside it, so that the search box
repeating the query is not taken for a leak). No response may be a server error, and each planted
secret may appear only in the responses of users who may see its object as the app's own access
layer decides (`core.access.visible`, and for a denouncer the petitions' identity rule): the pages
are checked against the policies, independently of how each page builds its lists.

The odd query strings: each page without an id (lists, filters, registers, dashboards, forms), as
the first demo user who may open it, with extreme dates, huge numbers, a 1,000-word text, control
characters and an invalid UTF-8 sequence in each parameter its GET forms and links use (and the
common ones), in each of its representations (`?export=xlsx`, `?export=print`). A bad filter may be
ignored or refused; it may not be a server error, nor run for longer than ODD_TIME_LIMIT.

The demo is loaded once for this module, in a transaction rolled back after it (each test runs in a
savepoint of its own, as usual), so no other test sees it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import time_machine
from django.db import models, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from vanphong import testing
from vanphong.accounts.models import Membership, User
from vanphong.core.access import Actor, visible
from vanphong.core.models import Clearance, Organisation
from vanphong.documents import incoming as documents_incoming
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import DocumentType, IncomingDocument, OutgoingDocument
from vanphong.followup import assignment as followup
from vanphong.followup.models import Task
from vanphong.meetings import ical, sessions
from vanphong.meetings.models import AgendaItem, Meeting, MeetingStatus
from vanphong.org.models import Unit
from vanphong.petitions.identities import Identity
from vanphong.petitions.intake import register_petition
from vanphong.petitions.models import Competence, Petition, PetitionKind, SenderKind, Subject
from vanphong.petitions.permissions import may_see_identity
from vanphong.web.demo import PROVINCE_CODE, load_demo
from vanphong.web.tests.crawling import (
    MODE_PARAMETERS,
    crawl,
    fetch,
    get_form_fields,
    links_in,
    page_names,
    same_site_path,
    signed_in,
)

# -- the demo and its secrets ------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A unique string planted in one secret object; `may_see` is the app's own rule for it.

    Beside it the object holds a search key: the crawl searches for the key, so that a results page
    showing the marker is a result, not the search box repeating the query.
    """

    text: str  # lower case letters only: found case-insensitively in any response
    key: str
    what: str
    model: type[models.Model]
    pk: int
    extra_rule: Callable[[Actor, Any], bool] | None = None

    def may_see(self, actor: Actor) -> bool:
        obj = visible(actor, self.model).filter(pk=self.pk).first()
        return obj is not None and (self.extra_rule is None or self.extra_rule(actor, obj))


@dataclass(frozen=True)
class Demo:
    province: Organisation
    markers: list[Marker]

    def actor(self, username: str) -> Actor:
        """The user as a signed-in request sees them: in their first (home) organisation."""
        membership = (
            Membership.objects.select_related("organisation", "user")
            .filter(user__username=username, is_active=True)
            .order_by("id")
            .first()
        )
        assert membership is not None, username
        return Actor.for_membership(membership)


def _member(username: str, organisation: Organisation) -> Actor:
    return testing.actor_of(User.objects.get(username=username), organisation)


def plant_markers(province: Organisation) -> list[Marker]:
    """One secret of each kind, made through the services as the office would make it."""
    system = Actor.system_for(province)
    today = timezone.localdate()
    types = {doc_type.symbol: doc_type for doc_type in DocumentType.objects.all()}
    units = {unit.short_name: unit for unit in Unit.objects.filter(organisation=province)}

    incoming = documents_incoming.register_incoming(
        system,
        doc_type=types["CV"],
        summary="V/v zqxmarkincoming qqkeyincoming phương án bảo vệ",
        sender_name="Ban Bảo vệ chính trị nội bộ Trung ương",
        sender_reference="77-CV/BBVCTNBTW",
        document_date=today - datetime.timedelta(days=1),
        secrecy=Clearance.TUYET_MAT,
    )
    # Drafted by a committee member (not the office), so one who is not of the office sees it too.
    draft = documents_outgoing.save_draft(
        _member("uyvien", province),
        OutgoingDocument(
            doc_type=types["BC"],
            summary="Báo cáo về công tác cán bộ",
            secrecy=Clearance.TOI_MAT,
            body="I. TÌNH HÌNH\n\nNhân sự dự kiến: zqxmarkoutgoing qqkeyoutgoing.",
            signing_authority="T/M",
            signing_body="Ban Thường vụ",
            signer_title="Bí thư",
        ),
    )
    meeting = (
        Meeting.objects.filter(organisation=province, status=MeetingStatus.PLANNED, body__isnull=False)
        .order_by("starts_at")
        .first()
    )
    assert meeting is not None, "the demo has a planned meeting of a body"
    item = sessions.add_item(
        system,
        meeting,
        title="Về nhân sự zqxmarkagenda qqkeyagenda",
        presenter="Ban Tổ chức",
        secrecy=Clearance.MAT,
    )
    source = followup.create_source(
        system,
        kind="conclusion",
        title="Kết luận về công tác bảo vệ",
        issued_on=today,
        secrecy=Clearance.TUYET_MAT,
    )
    # Led by the unit of `admin`, who thus has a part in it (and the clearance).
    task = followup.create_task(
        system,
        source,
        content="Xác minh zqxmarktask qqkeytask",
        lead_unit=units["HC"],
        deadline=today + datetime.timedelta(days=20),
        secrecy=Clearance.TUYET_MAT,
    )
    denunciation = register_petition(
        _member("tiepdan", province),
        received_on=today,
        channel="post",
        sender_kind=SenderKind.PERSON,
        identity=Identity.cleaned(name="Trịnh Qqkeydenouncer Zqxmarkdenouncer", address="Số 9 Lê Lợi"),
        kind=PetitionKind.DENUNCIATION,
        subject=Subject.CADRES,
        summary="Tố cáo cán bộ nhận tiền khi giải quyết hồ sơ",
        competence=Competence.OWN,
    )
    return [
        Marker(
            "zqxmarkincoming",
            "qqkeyincoming",
            "Tuyệt mật incoming document's summary",
            IncomingDocument,
            incoming.pk,
        ),
        Marker(
            "zqxmarkoutgoing", "qqkeyoutgoing", "Tối mật outgoing draft's body", OutgoingDocument, draft.pk
        ),
        Marker("zqxmarkagenda", "qqkeyagenda", "Mật agenda item's title", AgendaItem, item.pk),
        Marker("zqxmarktask", "qqkeytask", "Tuyệt mật follow-up task's content", Task, task.pk),
        Marker(
            "zqxmarkdenouncer",
            "qqkeydenouncer",
            "denouncer's name",
            Petition,
            denunciation.pk,
            extra_rule=may_see_identity,
        ),
    ]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo province and its secrets, for this module's tests (which use the `db` fixture)."""
    # Marked as Django marks a TestCase's class-wide transaction: the services' durable transactions
    # run inside it as they do in a test.
    module_transaction = transaction.atomic()
    module_transaction._from_testcase = True  # type: ignore[attr-defined]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        module_transaction,
    ):
        with time_machine.travel(testing.clock_start(), tick=True):
            load_demo()
            province = Organisation.objects.get(code=PROVINCE_CODE)
            markers = plant_markers(province)
        yield Demo(province, markers)
        transaction.set_rollback(True)


# -- the crawl -----------------------------------------------------------------------------------

# Every demo login (web/demo/), one per role; `vanthu.tanhoa` is the clerk of a commune.
ROLES = [
    "admin",
    "chanhvp",
    "vanthu",
    "chuyenvien",
    "uyvien",
    "bithu",
    "tiepdan",
    "taichinh",
    "luutru",
    "kiemtra",
    "vanthu.tanhoa",
]
MAX_PAGES = 400
PER_NAME = 3
PDF = "documents:outgoing_file fmt=pdf"
CAPS = {
    # A PDF is made by LibreOffice, seconds each: only in the crawls of PDF_ROLES, one each (its text
    # is the DOCX's, which every crawl reads).
    PDF: 0,
    # The newest events of the audit log are those of the planted secrets.
    "audit:event": 10,
    # The Django admin is generic: one page of each of its URL names.
    "admin:": 1,
}
PDF_ROLES = {"chanhvp", "uyvien"}
# Whose crawl must come upon each secret, lest the check pass by not looking: a user who may see it.
WITNESSES = {
    "zqxmarkincoming": "bithu",
    "zqxmarkoutgoing": "uyvien",
    "zqxmarkagenda": "vanthu",
    "zqxmarktask": "admin",
    "zqxmarkdenouncer": "chanhvp",
}


def test_the_roles_are_the_demo_logins(db: None, demo: Demo) -> None:
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(ROLES)
    assert sorted(WITNESSES) == sorted(marker.text for marker in demo.markers)
    for marker in demo.markers:
        assert marker.may_see(demo.actor(WITNESSES[marker.text])), marker.text


@pytest.mark.parametrize("username", ROLES)
def test_every_page_works_and_shows_only_what_the_user_may_see(db: None, demo: Demo, username: str) -> None:
    actor = demo.actor(username)
    searches = [
        f"/search/{page}?q={quote(marker.key)}" for marker in demo.markers for page in ("", "suggest/")
    ]
    # The personal iCalendar address, which the app hands to its user (the page is a POST form).
    feed = reverse("meetings:ical", args=[ical.renew_feed(actor)])
    caps = {**CAPS, PDF: 1} if username in PDF_ROLES else CAPS
    result = crawl(
        signed_in(username), ["/", *searches, feed], max_pages=MAX_PAGES, per_name=PER_NAME, caps=caps
    )
    leaks = [
        f"{marker.text} ({marker.what}) in GET {page.url}"
        for marker in demo.markers
        if not marker.may_see(actor)
        for page in result.pages
        if marker.text in page.text
    ]
    found = {marker.text for marker in demo.markers for page in result.pages if marker.text in page.text}
    print(
        f"{username}: {len(result.pages)} pages, {len(result.names())} URL names, {result.seconds:.1f} s; "
        f"not fetched (caps): {sum(result.skipped.values())}; secrets shown: {sorted(found)}"
    )
    assert len(result.pages) < MAX_PAGES, "raise MAX_PAGES or lower the caps: the crawl was cut short"
    assert not result.server_errors(), "\n".join(["server errors:", *result.server_errors()])
    assert not leaks, "\n".join(["secrets shown to a user who may not see them:", *leaks])
    for marker, witness in WITNESSES.items():
        if witness == username:
            assert marker in found, f"the crawl never came upon {marker}, which {username} may see"


# -- odd query strings ---------------------------------------------------------------------------

# Who opens each page: the first of these who gets it (the widest views first; the weekly schedule
# sends those who prepare it to the week's draft, and shows the others the published week).
HOSTS = ["chanhvp", "bithu", "admin", *[role for role in ROLES if role not in ("chanhvp", "bithu", "admin")]]
# Lists and filters answer in well under a second on the demo's rows: one still running after this is
# broken (a denial of service waiting for a long enough period).
ODD_TIME_LIMIT = 5.0
DATE_NAMES = {"date_from", "date_to", "start", "end", "day", "week", "month", "year", "date", "from", "to"}
DATE_TYPES = {"date", "month", "week", "datetime-local"}
EXTREME_DATES = ["0001-01-01", "9999-12-31"]
# Beside the dates, the forms a month, a week, a year or a day parameter may be written in.
EXTREMES_BY_NAME = {
    "month": ["0001-01", "9999-12", "0", "13"],
    "week": ["0001-W01", "9999-W52", "2026-W99"],
    "year": ["0", "1", "9999", "10000", "-1"],
    "day": ["0", "32"],
}
HUGE = {"offset": "9223372036854775808", "page": "99999999999999999999", "limit": "9223372036854775808"}
WORDS = ["nghị", "quyết", "của", "ban", "thường", "vụ", "tỉnh", "ủy", "về", "công", "tác", "cán", "bộ", "năm"]
THOUSAND_WORDS = " ".join(f"{WORDS[i % len(WORDS)]}{i}" for i in range(1000))
CONTROL = "a\x00b\x01c\x1bd\x7f"
LONE_SURROGATE = "%ED%A0%80"  # U+D800 as UTF-8 would write it, which valid UTF-8 never holds: sent as is
TEXT_TYPES = {"text", "search", "textarea", "hidden"}


def is_date_name(name: str, kind: str) -> bool:
    return (
        name in DATE_NAMES
        or kind in DATE_TYPES
        or name.endswith(("_from", "_to", "_on", "_date", "_at", "_before", "_after"))
    )


def query(params: dict[str, str], raw: dict[str, str] | None = None) -> str:
    """A query string: `params` percent-encoded, `raw` values as they are."""
    pairs = [f"{quote(key)}={quote(value)}" for key, value in params.items()]
    pairs += [f"{quote(key)}={value}" for key, value in (raw or {}).items()]
    return "&".join(pairs)


def host_page(name: str) -> tuple[str, Client, str, str] | None:
    """The first host who opens the page: their name, client, the page's address and its HTML."""
    path = reverse(name)
    for username in HOSTS:
        client = signed_in(username)
        page = fetch(client, path)
        if page.status == 200 and page.content_type == "text/html":
            return username, client, path, page.data.decode("utf-8", "replace")
    return None


def parameters(path: str, html: str) -> tuple[dict[str, str], list[str]]:
    """The page's parameters by name (with their input type), and its representations as queries."""
    fields = get_form_fields(html)
    modes: set[str] = set()
    for href in links_in(html):
        target = same_site_path(path, href)
        if target is None or urlsplit(target).path != path:
            continue
        for key, value in parse_qsl(urlsplit(target).query, keep_blank_values=True):
            if key in MODE_PARAMETERS:
                modes.add(query({key: value}))
            else:
                fields.setdefault(key, "link")
    for key in ("q", *HUGE):
        fields.setdefault(key, "text" if key == "q" else "number")
    return fields, sorted(modes)


def odd_queries(fields: dict[str, str], *, dates_only: bool = False) -> list[tuple[str, str]]:
    """(what it is, query string) pairs for a page with these parameters."""
    queries: list[tuple[str, str]] = []
    # The date names the page does not use, all at once; those it uses, one by one.
    unused = sorted(name for name in DATE_NAMES if name not in fields)
    for value in EXTREME_DATES:
        queries.append((f"{'&'.join(unused)}={value}", query(dict.fromkeys(unused, value))))
    for name, kind in sorted(fields.items()):
        if is_date_name(name, kind):
            for value in [*EXTREME_DATES, *EXTREMES_BY_NAME.get(name, [])]:
                queries.append((f"{name}={value}", query({name: value})))
        if dates_only:
            continue
        if name in HUGE:
            queries.append((f"{name}={HUGE[name]}", query({name: HUGE[name]})))
        if name == "q" or kind in TEXT_TYPES:
            queries.append((f"{name}=<1,000 words>", query({name: THOUSAND_WORDS})))
        queries.append((f"{name}={quote(CONTROL)}", query({name: CONTROL})))
        queries.append((f"{name}={LONE_SURROGATE}", query({}, {quote(name): LONE_SURROGATE})))
    return queries


@pytest.mark.parametrize("name", page_names())
def test_odd_query_strings_break_no_page(db: None, demo: Demo, name: str) -> None:
    hosted = host_page(name)
    if hosted is None:
        pytest.skip(f"no demo user opens {name} with GET")
    username, client, path, html = hosted
    fields, modes = parameters(path, html)
    # Exports share the page's filters: they are tried with the odd dates, which they write out.
    attempts = [("", what, odd) for what, odd in odd_queries(fields)] + [
        (f"{mode}&", what, odd) for mode in modes for what, odd in odd_queries(fields, dates_only=True)
    ]
    failures = [
        f"{fetched.status} GET {path}?{mode}{what} as {username} ({fetched.error})"
        for mode, what, odd in attempts
        for fetched in [fetch(client, f"{path}?{mode}{odd}", seconds=ODD_TIME_LIMIT)]
        if fetched.status >= 500
    ]
    assert not failures, "\n".join(["server errors:", *failures])
