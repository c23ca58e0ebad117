"""Document numbers: taken inside the transaction that saves the document.

The sequence row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions begin
IMMEDIATE, so writers queue), incremented and saved with the document. If anything later in the
transaction fails, the increment rolls back with it: numbers are never skipped, repeated or reused.
A cancelled document keeps its number.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from vanphong.core.models import Organisation
from vanphong.documents.models import DocumentSettings, DocumentType, NumberingScheme, NumberSequence
from vanphong.org.models import Term


def document_settings(organisation: Organisation) -> DocumentSettings:
    settings, _created = DocumentSettings.objects.get_or_create(organisation=organisation)
    return settings


def take_number(organisation: Organisation, key: str) -> int:
    """The next number of a sequence. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that saves the document")
    # One statement increments and reads, holding the row lock until the transaction ends.
    q = connection.ops.quote_name
    sql = (
        f"UPDATE {q(NumberSequence._meta.db_table)} SET {q('last_number')} = {q('last_number')} + 1"
        f" WHERE {q('organisation_id')} = %s AND {q('key')} = %s RETURNING {q('last_number')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, key])
        row = cursor.fetchone()
        if row is None:  # the first number of this sequence
            NumberSequence.objects.get_or_create(organisation=organisation, key=key)
            cursor.execute(sql, [organisation.pk, key])
            row = cursor.fetchone()
    return int(row[0])


def incoming_key(year: int) -> str:
    # Incoming documents are numbered consecutively within the year (ND 30/2020 art. 22; QĐ 693-QĐ/VPTW).
    return f"in:{year}"


def term_on(organisation: Organisation, day: datetime.date) -> Term | None:
    return (
        Term.objects.filter(organisation=organisation, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .first()
    )


def outgoing_key(
    organisation: Organisation, doc_type: DocumentType, secrecy: int, day: datetime.date
) -> tuple[str, Term | None]:
    """The sequence an outgoing document is numbered in, and the term it falls in."""
    term = term_on(organisation, day)
    if document_settings(organisation).numbering_scheme == NumberingScheme.STATE:
        # ND 30/2020/NĐ-CP art. 15: one sequence per year; secret documents have their own.
        return f"out:year:{day.year}:{'secret' if secrecy else 'open'}", term
    # HD 36-HD/VPTW: each type has one sequence for the whole term, secret documents included.
    if term is None:
        raise ValidationError(
            _(
                "No term of the committee covers %(day)s: record the term before issuing, "
                "since Party documents are numbered per term."
            )
            % {"day": day.strftime("%d/%m/%Y")}
        )
    return f"out:term:{term.pk}:{doc_type.symbol}", term


def reference(number: int, doc_type: DocumentType, organisation: Organisation) -> str:
    """`12-NQ/TU` (HD 36-HD/VPTW: hyphen before the type symbol, slash before the body's; numbers from 01)."""
    return f"{number:02d}-{doc_type.symbol}/{organisation.symbol}"
