"""What is searchable: each app declares its searchable kinds here, in its own `search.py` (like
Mayan EDMS): how to turn an object into an index entry, and which access tokens a user holds. The
search app reads this registry (it imports every app; no app imports it).

Access is part of the index (docs/design SEARCH-NOTES: the permission filter is cheapest inside
the index): every entry carries tokens for its kind, organisation, secrecy (exactly one level) and
readers, and every query includes the access expression of the user, so results, counts and pages
never include what the user may not see. The tokens mirror the app's access policy; tests compare
search results with `visible()`.

An access expression is a token, ("and", [...]), ("or", [...]) or ("not", [expression]); a "not"
must stand inside an "and" beside at least one token or sub-expression that is not negated (an
inverted index answers "a NOT b", never "NOT b" alone). `ALL` (an empty "and") lets everything
through. Cheapest shapes: exclude the few entries a user may not see rather than list what they may
(`within_clearance`: NOT the secrecy levels above the clearance, whose doclists are short).

Tokens start with "zz" and a letter naming what they stand for: here s (secrecy), u (user) and n
(unit), the ones the apps' access rules use; the search app's own tokens (search.index_tokens) use
the other letters.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise

from vanphong.core.access import Actor

# An access expression: a token, or ("and" | "or" | "not", [expressions]).
Access = str | tuple[str, list["Access"]]
ALL: Access = ("and", [])
LEVELS = range(4)  # core.models.Clearance: none, Mật, Tối mật, Tuyệt mật


def secrecy_token(level: int) -> str:
    return f"zzs{level}"


def user_token(user_id: int) -> str:
    return f"zzu{user_id}"


def unit_token(unit_id: int) -> str:
    return f"zzn{unit_id}"


def within_clearance(clearance: int) -> Access:
    """Entries whose secrecy is at most `clearance` (every entry carries exactly one secrecy token)."""
    above: list[Access] = [secrecy_token(level) for level in LEVELS if level > clearance]
    return ("and", [("not", [("or", above)])]) if above else ALL


@dataclass(frozen=True)
class Segment:
    """A part of an object's text with the address of that place (the document, a page of a file).

    The index keeps labels language-neutral: `label` is an untranslated msgid (mark it with
    gettext_noop) or, with `file` set, the file's name and `page` its page; the search app
    translates when a result is shown, in the reader's language.
    """

    label: str
    text: str
    url: str
    file: str = ""
    page: int | None = None


@dataclass
class IndexData:
    organisation_id: int
    secrecy: int
    title: str
    segments: list[Segment]
    url: str
    access: list[str] = field(default_factory=list)
    doc_type: str = ""
    date: datetime.date | None = None
    status: str = ""
    sender: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise  # shown beside each result and in the facets (gettext_lazy)
    model: type[models.Model]
    build: Callable[[Any], IndexData | None]
    access: Callable[[Actor], Access | None]
    # Changes to these models re-index the object they belong to (e.g. an attachment, a routing).
    parents: dict[type[models.Model], Callable[[Any], Any]] = field(default_factory=dict)
    # Every object, oldest first by the date its entry gets (a full reindex writes all kinds merged in
    # date order, so that newest-first is by date); the model's objects by key if not given.
    queryset: Callable[[], QuerySet[Any]] | None = None
    # Names of the document types (folded symbol: (symbol, name)) for the entries' `doc_type`.
    type_labels: Callable[[], dict[str, tuple[str, str]]] | None = None

    def objects(self) -> QuerySet[Any]:
        return self.queryset() if self.queryset else self.model._default_manager.order_by("pk")


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def kind_label(name: str) -> str:
    """The label of a kind, in the reader's language; the name itself for a kind no longer declared."""
    return str(KINDS[name].label) if name in KINDS else name
