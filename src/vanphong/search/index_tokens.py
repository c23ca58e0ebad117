"""The search app's own index tokens, written beside the text of every entry: kind, organisation,
both in one (narrowed by document type and year), status and dates. Structured fields become index
terms, so filters are part of the full-text match. The access tokens the apps use (secrecy, user,
unit) are declared with the searchable kinds, in core.searchable.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from vanphong.core.text import fold
from vanphong.search.text import WORD


@lru_cache(maxsize=4096)  # every entry needs a few of these tokens, from a small set of values
def _code(value: str) -> str:
    return "".join(WORD.findall(fold(value)))


def org_token(organisation_id: int) -> str:
    return f"zzo{organisation_id}"


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
