"""What is searchable. Each app declares its searchable kinds in its own `search.py` (like
Mayan EDMS): how to turn an object into an index entry, and which access tokens a user holds.

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
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from vanphong.core.access import Actor
from vanphong.core.text import fold
from vanphong.search.text import WORD

# An access expression: a token, or ("and" | "or" | "not", [expressions]).
Access = str | tuple[str, list["Access"]]
ALL: Access = ("and", [])
LEVELS = range(4)  # core.models.Clearance: none, Mật, Tối mật, Tuyệt mật


def org_token(organisation_id: int) -> str:
    return f"zzo{organisation_id}"


def secrecy_token(level: int) -> str:
    return f"zzs{level}"


def user_token(user_id: int) -> str:
    return f"zzu{user_id}"


def unit_token(unit_id: int) -> str:
    return f"zzn{unit_id}"


def kind_token(kind: str) -> str:
    return f"zzk{_code(kind)}"  # one index term even for "agenda_item" ("_" separates words)


def org_kind_token(organisation_id: int, kind: str) -> str:
    """Organisation and kind in one term: every query needs both, and one list of this
    organisation's entries of this kind is cheaper to walk beside a rare word than the two long
    lists of the organisation and of the kind."""
    return f"zzo{organisation_id}k{_code(kind)}"


def filter_scope(scope: str, doc_type: str = "", year: int | None = None) -> str:
    """An organisation+kind token narrowed to a document type and/or a year: the most common
    filters ("loai:NQ nam:2024") become one short list instead of long ones ANDed beside it."""
    return scope + (f"t{_code(doc_type)}" if doc_type else "") + (f"y{year}" if year else "")


def scope_tokens(organisation_id: int, kind: str, doc_type: str, date: datetime.date | None) -> set[str]:
    """The organisation+kind token of an entry, and its narrowings by type, year and both."""
    scope = org_kind_token(organisation_id, kind)
    found = {scope}
    if doc_type:
        found.add(filter_scope(scope, doc_type))
    if date:
        found.add(filter_scope(scope, year=date.year))
        if doc_type:
            found.add(filter_scope(scope, doc_type, date.year))
    return found


def within_clearance(clearance: int) -> Access:
    """Entries whose secrecy is at most `clearance` (every entry carries exactly one secrecy token)."""
    above: list[Access] = [secrecy_token(level) for level in LEVELS if level > clearance]
    return ("and", [("not", [("or", above)])]) if above else ALL


# Filter tokens: structured fields as index terms, so filters are part of the full-text match.


@lru_cache(maxsize=4096)  # every entry needs a few of these tokens, from a small set of values
def _code(value: str) -> str:
    return "".join(WORD.findall(fold(value)))


def status_token(status: str) -> str:
    return f"zzx{_code(status)}"


def date_tokens(date: datetime.date) -> list[str]:
    """Year, month and day tokens: a date range is the few tokens that cover it (`date_cover`)."""
    year, month = f"zzy{date.year}", f"zzm{date.year}{date.month:02}"
    return [year, month, f"zzd{date.year}{date.month:02}{date.day:02}"]


def date_cover(low: datetime.date, high: datetime.date) -> list[str]:
    """The fewest year, month and day tokens whose dates make up [low, high] exactly."""
    tokens: list[str] = []
    day = low
    while day <= high:
        year_end = datetime.date(day.year, 12, 31)
        month_end = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
            days=1
        )
        if day.month == 1 and day.day == 1 and year_end <= high:
            tokens.append(date_tokens(day)[0])
            day = year_end + datetime.timedelta(days=1)
        elif day.day == 1 and month_end <= high:
            tokens.append(date_tokens(day)[1])
            day = month_end + datetime.timedelta(days=1)
        else:
            tokens.append(date_tokens(day)[2])
            day += datetime.timedelta(days=1)
    return tokens


@dataclass(frozen=True)
class Segment:
    """A part of an object's text with the address of that place (the document, a page of a file).

    The index keeps labels language-neutral: `label` is an untranslated msgid (mark it with
    gettext_noop) or, with `file` set, the file's name and `page` its page; `place_label()`
    translates when a result is shown, in the reader's language.
    """

    label: str
    text: str
    url: str
    file: str = ""
    page: int | None = None


def place_label(segment: dict[str, Any]) -> str:
    if segment.get("file"):
        if segment.get("page"):
            return _("%(file)s, page %(page)s") % {"file": segment["file"], "page": segment["page"]}
        return str(segment["file"])
    return _(segment["label"]) if segment.get("label") else ""


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


def kind_of(model: type[models.Model]) -> Kind | None:
    return next((kind for kind in KINDS.values() if kind.model is model), None)


def connect_signals() -> None:
    """Keep the index in step with the data, in the same transaction as the write: saves, deletes and
    bulk creations (core.signals.bulk_created, which services send after bulk_create)."""
    from vanphong.core.signals import bulk_created
    from vanphong.search import services

    def changed(sender: type[models.Model], instances: list[Any]) -> None:
        for kind in KINDS.values():
            if sender is kind.model:
                services.index_objects(kind, instances)
            elif sender in kind.parents:
                parents = [kind.parents[sender](instance) for instance in instances]
                services.index_objects(kind, [parent for parent in parents if parent is not None])

    def saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            changed(sender, [instance])

    def created(sender: type[models.Model], instances: list[Any], **kwargs: Any) -> None:
        changed(sender, list(instances))

    def deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        for kind in KINDS.values():
            if sender is kind.model:
                services.remove_object(kind, instance.pk)
            elif sender in kind.parents:
                parent = kind.parents[sender](instance)
                if parent is not None and parent.pk is not None:
                    services.index_objects(kind, [parent])

    post_save.connect(saved, weak=False, dispatch_uid="vanphong-search-saved")
    bulk_created.connect(created, weak=False, dispatch_uid="vanphong-search-bulk-created")
    post_delete.connect(deleted, weak=False, dispatch_uid="vanphong-search-deleted")
