"""Walking the site as a signed-in user: the links of every page, breadth first, within bounds.

Used by `test_crawl.py` (nothing breaks, nothing leaks) and `test_hostile_queries.py` (odd query
strings break nothing). Everything goes through Django's test client: the real app, the real database.
"""

from __future__ import annotations

import io
import re
import signal
import threading
import time
import traceback
import zipfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from vanphong.accounts.models import User

# Links not followed: signing out or in, the language and organisation switches (they change the
# session, not a page) and the admin's sign-out.
SKIP_NAMES = {"login", "logout", "set_language", "switch_organisation", "admin:logout"}
# Query parameters that choose another representation of a page (XLSX, print view): a page in each
# is capped apart, so long lists of filter links do not crowd out the exports.
MODE_PARAMETERS = ("export", "format")
UNRESOLVED = "<unresolved>"


def signed_in(username: str) -> Client:
    """A client signed in as the user; a server error is returned as a 500 response, not raised."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    data: bytes
    location: str  # of a redirect
    error: str  # the exception behind a server error

    def describe(self) -> str:
        return f"{self.status} GET {self.url}" + (f" ({self.error})" if self.error else "")


class TooSlow(Exception):
    """Raised inside a request that runs past its time limit, which thus ends as a server error."""


def _database_busy() -> bool:
    """True while PostgreSQL is answering a command: interrupted then, psycopg would lose its place
    in the protocol and the connection (with the test's transaction) would be lost."""
    pgconn = getattr(connection.connection, "pgconn", None)
    return pgconn is not None and pgconn.transaction_status == 1  # PQTRANS_ACTIVE


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the code run inside after `seconds`, between database commands (SIGALRM: only in the
    main thread, as pytest and its xdist workers run tests; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        if _database_busy():
            signal.setitimer(signal.ITIMER_REAL, 0.01)  # again as soon as the command is answered
            return
        raise TooSlow(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# A page that takes longer than this on the demo's few hundred rows is broken (a PDF made by
# LibreOffice takes a few seconds).
TIME_LIMIT = 20.0


def fetch(client: Client, path: str, *, seconds: float = TIME_LIMIT) -> Fetched:
    """GET in a savepoint rolled back afterwards: what a request wrote (or a database error it hit,
    which would abort a PostgreSQL transaction) does not reach the next request. A request still
    running after `seconds` is interrupted and reported as a server error (TooSlow)."""
    savepoint = transaction.savepoint()
    try:
        with time_limit(seconds):
            response = client.get(path)
        data = response_bytes(response)
    finally:
        transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(False)
    exc_info = getattr(response, "exc_info", None)
    error = describe_exception(exc_info[1]) if exc_info else ""
    content_type = str(response.get("Content-Type", "")).split(";")[0].strip()
    location = str(response.get("Location", ""))
    return Fetched(path, response.status_code, content_type, data, location, error)


def describe_exception(exc: BaseException) -> str:
    """`OverflowError: date value out of range, at documents/registers.py (criteria)`: the
    exception and the innermost line of the app's own code it passed through."""
    text = f"{type(exc).__name__}: {str(exc)[:200]}"
    package = Path(__file__).resolve().parents[2]
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith(str(package)) and "/tests/" not in frame.filename
    ]
    if frames:
        where = Path(frames[-1].filename).relative_to(package)
        text += f", at {where}:{frames[-1].lineno} ({frames[-1].name})"
    return text


def response_bytes(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        response.close()
        return data
    return bytes(response.content)  # type: ignore[attr-defined]


@dataclass
class Page:
    url: str
    name: str
    status: int
    content_type: str
    text: str  # the body as a reader finds it (exports unpacked), lower case
    error: str = ""
    links: list[str] = field(default_factory=list)  # same-site links found in it


@dataclass
class Crawl:
    pages: list[Page]
    seconds: float
    skipped: Counter[str]  # links not fetched because their URL name reached its cap

    def server_errors(self) -> list[str]:
        return [
            f"{page.status} GET {page.url}" + (f" ({page.error})" if page.error else "")
            for page in self.pages
            if page.status >= 500
        ]

    def names(self) -> set[str]:
        return {page.name for page in self.pages}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


class _GetForms(HTMLParser):
    """The fields of the page's GET forms (its filters), by name, with their input types."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_get_form = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.in_get_form = (values.get("method") or "get").lower() == "get"
        elif self.in_get_form and tag in ("input", "select", "textarea") and values.get("name"):
            kind = (values.get("type") or "text").lower() if tag == "input" else tag
            if kind not in ("submit", "button", "reset", "image", "file"):
                self.fields.setdefault(str(values["name"]), kind)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def get_form_fields(html: str) -> dict[str, str]:
    parser = _GetForms()
    parser.feed(html)
    parser.close()
    return parser.fields


def same_site_path(base: str, href: str) -> str | None:
    """The path and query of a link on this site (no fragment), or None for other sites and schemes."""
    parts = urlsplit(urljoin(f"http://testserver{base}", href.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc not in ("testserver", ""):
        return None
    if parts.path.startswith((settings.STATIC_URL or "/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def url_name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return UNRESOLVED


def cap_key(path: str) -> str:
    """The URL name, with the representation asked for (`?export=xlsx`, `file.pdf`) when there is one."""
    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return UNRESOLVED
    modes = [f"{key}={value}" for key, value in parse_qsl(parts.query) if key in MODE_PARAMETERS]
    if match.kwargs.get("fmt"):
        modes.append(f"fmt={match.kwargs['fmt']}")
    return " ".join([match.view_name, *sorted(modes)])


def as_text(data: bytes) -> str:
    """What a reader finds in a response, lower case: HTML, JSON, CSV and iCalendar as text (folded
    lines joined), XLSX and DOCX unpacked (their XML with and without the tags), a PDF's text."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                xml = "".join(
                    archive.read(member).decode("utf-8", "replace")
                    for member in archive.namelist()
                    if member.endswith((".xml", ".rels"))
                )
        except zipfile.BadZipFile:
            return data.decode("utf-8", "replace").lower()
        return (xml + "\n" + re.sub(r"<[^>]+>", "", xml)).lower()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() or "" for page in reader.pages).lower()
        except Exception:  # an unreadable PDF: search its bytes rather than nothing
            return data.decode("latin-1").lower()
    # RFC 5545 folds long lines: a line break followed by a space or a tab continues the line.
    return re.sub(r"\r?\n[ \t]", "", data.decode("utf-8", "replace")).lower()


def crawl(
    client: Client,
    seeds: Iterable[str],
    *,
    max_pages: int,
    per_name: int,
    caps: dict[str, int] | None = None,
) -> Crawl:
    """Fetch the seeds and every same-site link found, breadth first: at most `max_pages` pages and
    `per_name` per URL name and representation. `caps` sets other limits by `cap_key`, URL name or
    namespace (`"admin:"`)."""
    caps = caps or {}
    started = time.monotonic()
    queue: deque[str] = deque()
    queued: set[str] = set()
    counts: Counter[str] = Counter()
    skipped: Counter[str] = Counter()

    def enqueue(path: str) -> None:
        if path in queued:
            return
        queued.add(path)
        key = cap_key(path)
        name = key.split(" ")[0]
        if name in SKIP_NAMES:
            return
        namespace = name.partition(":")[0] + ":"
        if counts[key] >= caps.get(key, caps.get(name, caps.get(namespace, per_name))):
            skipped[key] += 1
            return
        counts[key] += 1
        queue.append(path)

    for seed in seeds:
        enqueue(seed)
    pages: list[Page] = []
    while queue and len(pages) < max_pages:
        fetched = fetch(client, queue.popleft())
        page = Page(
            fetched.url,
            url_name(fetched.url),
            fetched.status,
            fetched.content_type,
            as_text(fetched.data),
            fetched.error,
        )
        pages.append(page)
        hrefs: list[str] = []
        if 300 <= fetched.status < 400 and fetched.location:
            hrefs = [fetched.location]
        elif fetched.content_type == "text/html":
            hrefs = links_in(fetched.data.decode("utf-8", "replace"))
        for href in hrefs:
            target = same_site_path(fetched.url, href)
            if target is not None:
                page.links.append(target)
                enqueue(target)
    skipped.update(cap_key(path) for path in queue)
    return Crawl(pages, time.monotonic() - started, skipped)


def walk_urls(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern of the site, the admin's and the API's aside."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or pattern.namespace == "api":
                continue
            yield from walk_urls(
                pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else prefix
            )
        elif pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def page_names() -> list[str]:
    """The URL names of pages with no parameter in their path: lists, filters, dashboards, forms."""
    return sorted(
        name for name, pattern in walk_urls() if not pattern.pattern.converters and name not in SKIP_NAMES
    )
