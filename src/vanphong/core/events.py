"""The vocabulary of the audit log: every event is declared by its app (`<app>/events.py`, and each
workflow for its transitions), and `core.audit.record` refuses an undeclared one, so a misspelt
event fails loudly instead of splitting an object's history in two."""

from __future__ import annotations

EVENTS: set[str] = set()


def declare(name: str) -> str:
    EVENTS.add(name)
    return name


def check(name: str) -> str:
    if name not in EVENTS:
        raise LookupError(f"Undeclared audit event {name!r}: declare it in its app's events.py")
    return name


# The core's own events: organisations, the calendar, and writes in the Django admin.
ORGANISATION_CREATED = declare("organisation.created")
ORGANISATION_UPDATED = declare("organisation.updated")
CALENDAR_OVERRIDE_SET = declare("calendar.override_set")
ADMIN_SAVED = declare("admin.saved")
ADMIN_DELETED = declare("admin.deleted")
