"""Document numbers: taken inside the transaction that saves the document.

The sequence row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions begin
IMMEDIATE, so writers queue), incremented and saved with the document. If anything later in the
transaction fails, the increment rolls back with it: numbers are never skipped, repeated or reused.
A cancelled document keeps its number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Organisation
from vanphong.documents import events
from vanphong.documents.models import (
    SECRET_REGISTER_SUFFIX,
    DocumentSettings,
    DocumentType,
    NumberingRule,
    NumberingScheme,
    NumberSequence,
    OutgoingDocument,
)
from vanphong.documents.permissions import NUMBERING
from vanphong.org.models import Term


def document_settings(organisation: Organisation) -> DocumentSettings:
    """The organisation's settings; reading them writes nothing (the defaults are an unsaved row)."""
    found = DocumentSettings.objects.filter(organisation=organisation).first()
    return found or DocumentSettings(organisation=organisation)


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


# The key of a State-rule sequence starts with this; every other outgoing key is a Party-rule one.
STATE_KEY_PREFIX = "out:year:"


def rule_on(organisation: Organisation, day: datetime.date) -> str:
    """The numbering rule (a `NumberingScheme`) the organisation numbers its documents by on `day`."""
    adopted = (
        NumberingRule.objects.filter(organisation=organisation, effective_from__lte=day)
        .order_by("-effective_from")
        .values_list("scheme", flat=True)
        .first()
    )
    # HD 36-HD/VPTW: Party committees number by the Party rule unless they adopted another.
    return adopted or NumberingScheme.PARTY


def check_rule_change(organisation: Organisation, scheme: str, effective_from: datetime.date) -> None:
    """A rule changes only from a boundary ahead, where the sequences of both rules begin anew: the
    start of a term for the Party rule, 1 January for the State rule. So numbers already taken stay
    under the rule that took them, and no year or term is numbered by two rules."""
    day = effective_from.strftime("%d/%m/%Y")
    if scheme not in NumberingScheme.values:
        raise ValidationError({"scheme": _("Unknown numbering rule.")})
    if effective_from <= timezone.localdate():
        raise ValidationError(
            {
                "effective_from": _(
                    "A numbering rule can only change from a day ahead: numbers already given stay "
                    "under the rule that gave them."
                )
            }
        )
    if scheme == NumberingScheme.STATE and (effective_from.month, effective_from.day) != (1, 1):
        # ND 30/2020/NĐ-CP art. 15: the sequence runs from 1 January to 31 December.
        raise ValidationError(
            {
                "effective_from": _(
                    "The State rule numbers per calendar year, so it can only take effect on 1 January, "
                    "not on %(day)s."
                )
                % {"day": day}
            }
        )
    if (
        scheme == NumberingScheme.PARTY
        and not Term.objects.filter(organisation=organisation, start_date=effective_from).exists()
    ):
        # HD 36-HD/VPTW: each type's sequence runs through the term.
        raise ValidationError(
            {
                "effective_from": _(
                    "The Party rule numbers per term, so it can only take effect on the first day of a "
                    "term: no term of the committee starts on %(day)s. Record the next term first."
                )
                % {"day": day}
            }
        )
    if NumberingRule.objects.filter(organisation=organisation, effective_from=effective_from).exists():
        raise ValidationError(
            {
                "effective_from": _("A change of the numbering rule is already planned for %(day)s.")
                % {"day": day}
            }
        )
    if rule_on(organisation, effective_from) == scheme:
        raise ValidationError(
            {"scheme": _("This rule is already the one in force on %(day)s.") % {"day": day}}
        )


@dataclass(frozen=True)
class Sequence:
    """The sequence an outgoing document is numbered in, under which rule, and the term it falls in."""

    scheme: str
    key: str
    term: Term | None


def outgoing_sequence(
    organisation: Organisation, doc_type: DocumentType, secrecy: int, day: datetime.date
) -> Sequence:
    term = term_on(organisation, day)
    scheme = rule_on(organisation, day)
    if scheme == NumberingScheme.STATE:
        # ND 30/2020/NĐ-CP art. 15: one sequence per year; secret documents have their own.
        register = SECRET_REGISTER_SUFFIX if secrecy else ":open"
        return Sequence(scheme, f"{STATE_KEY_PREFIX}{day.year}{register}", term)
    # HD 36-HD/VPTW: each type has one sequence for the whole term, secret documents included.
    if term is None:
        raise ValidationError(
            {
                "issued_on": _(
                    "No term of the committee covers %(day)s: record the term before issuing, "
                    "since Party documents are numbered per term."
                )
                % {"day": day.strftime("%d/%m/%Y")}
            }
        )
    return Sequence(scheme, f"out:term:{term.pk}:{doc_type.symbol}", term)


def take_outgoing_number(
    organisation: Organisation, doc_type: DocumentType, secrecy: int, day: datetime.date
) -> tuple[Sequence, int]:
    """The sequence and the next number of a document issued on `day`, inside the transaction that
    issues it. The issue date is the day of issue: the date of a document numbered today falls in
    today's sequence and not before the last document numbered in it, so numbers follow dates.
    (An import of old registers writes their numbers as they were, through `outgoing_sequence`.)"""
    sequence = outgoing_sequence(organisation, doc_type, secrecy, day)
    current = outgoing_sequence(organisation, doc_type, secrecy, timezone.localdate())
    shown = day.strftime("%d/%m/%Y")
    if sequence.key != current.key:
        if current.scheme == NumberingScheme.STATE:
            # ND 30/2020/NĐ-CP art. 15: numbers run from 1 January to 31 December, in the order of issue.
            message = _(
                "The issue date %(day)s is outside the current year: under the State rule documents "
                "are numbered per calendar year, and a document is dated on the day it is issued."
            )
        else:
            # HD 36-HD/VPTW: numbers run per type through the term.
            message = _(
                "The issue date %(day)s is outside the current term (%(term)s): Party documents are "
                "numbered per term, and a document is dated on the day it is issued."
            )
        raise ValidationError({"issued_on": message % {"day": shown, "term": current.term}})
    number = take_number(organisation, sequence.key)
    # The sequence is locked now: nobody numbers in it until this transaction ends.
    # ND 30/2020/NĐ-CP art. 15: numbers are taken in the order and on the dates of issue; the Party's
    # numbers likewise run on from 01 (HD 36-HD/VPTW), so a later number never bears an earlier date.
    last = OutgoingDocument.objects.filter(
        organisation=organisation, number_key=sequence.key, number__isnull=False
    ).aggregate(last=Max("issued_on"))["last"]
    if last is not None and day < last:
        raise ValidationError(
            {
                "issued_on": _(
                    "The issue date %(day)s is before %(last)s, the date of the last document numbered "
                    "in this sequence: numbers follow the order of issue."
                )
                % {"day": shown, "last": last.strftime("%d/%m/%Y")}
            }
        )
    return sequence, number


def next_reference(doc: OutgoingDocument, day: datetime.date) -> str:
    """The number and symbol the document would take if issued on `day`, read without taking it (for
    the confirmation before issuing; another document issued first takes it, and this one the next)."""
    sequence = outgoing_sequence(doc.organisation, doc.doc_type, doc.secrecy, day)
    last = (
        NumberSequence.objects.filter(organisation=doc.organisation, key=sequence.key)
        .values_list("last_number", flat=True)
        .first()
    )
    return reference(sequence.scheme, (last or 0) + 1, doc.doc_type, doc.organisation)


def number_fields(
    sequence: Sequence, number: int, doc_type: DocumentType, organisation: Organisation, day: datetime.date
) -> dict[str, Any]:
    """The fields that record a number on its document (issuing and importing write the same)."""
    return {
        "number": number,
        "number_key": sequence.key,
        "term": sequence.term,
        "reference": reference(sequence.scheme, number, doc_type, organisation),
        "issued_on": day,
        "issue_year": day.year,
    }


# A draft leaves the number blank, to be written in when it is issued.
BLANK_NUMBER = " " * 6


def reference(scheme: str, number: int | None, doc_type: DocumentType, organisation: Organisation) -> str:
    """The number and symbol as the rule writes it; numbers below 10 with a leading 0 under both rules."""
    written = BLANK_NUMBER if number is None else f"{number:02d}"
    if scheme == NumberingScheme.STATE:
        # ND 30/2020/NĐ-CP appendix I: `12/QĐ-TU`, a slash before the type symbol, a hyphen before the body's.
        return f"{written}/{doc_type.symbol}-{organisation.symbol}"
    # HD 36-HD/VPTW: `12-NQ/TU`, a hyphen before the type symbol, a slash before the body's.
    return f"{written}-{doc_type.symbol}/{organisation.symbol}"


def scheme_of(doc: OutgoingDocument) -> str:
    """The rule a document is numbered by: its sequence's once numbered, before that the rule of today."""
    if doc.number_key:
        return NumberingScheme.STATE if doc.number_key.startswith(STATE_KEY_PREFIX) else NumberingScheme.PARTY
    return rule_on(doc.organisation, timezone.localdate())


def number_line(doc: OutgoingDocument) -> str:
    """The number line of the document: `Số 12-NQ/TU` (HD 36-HD/VPTW: no colon after "Số"),
    `Số: 12/QĐ-TU` (ND 30/2020/NĐ-CP appendix I); a draft's number is left blank."""
    scheme = scheme_of(doc)
    written = doc.reference or reference(scheme, None, doc.doc_type, doc.organisation)
    return f"{'Số:' if scheme == NumberingScheme.STATE else 'Số'} {written}"


# -- changes of the numbering rule ------------------------------------------------------------------

NUMBERING_RULE_FIELDS = ["scheme", "effective_from"]


def _lock_numbering(organisation: Organisation) -> None:
    """Changes of one organisation's numbering rule happen one at a time (its settings row is the lock)."""
    DocumentSettings.objects.get_or_create(organisation=organisation)
    DocumentSettings.objects.select_for_update().get(organisation=organisation)


def change_numbering_rule(actor: Actor, *, scheme: str, effective_from: datetime.date) -> NumberingRule:
    """Adopt a numbering rule from a boundary ahead (`numbering.check_rule_change`): the one way the rule
    changes, for the admin as for any other caller."""
    require(actor, NUMBERING)
    organisation = actor.organisation
    assert organisation is not None
    with transaction.atomic():
        _lock_numbering(organisation)
        check_rule_change(organisation, scheme, effective_from)
        rule = NumberingRule.objects.create(
            organisation=organisation, scheme=scheme, effective_from=effective_from, created_by=actor.user
        )
        audit.record(
            actor,
            events.NUMBERING_RULE_CREATED,
            organisation=organisation,
            obj=rule,
            after=audit.snapshot(rule, NUMBERING_RULE_FIELDS),
        )
    return rule


def withdraw_numbering_change(actor: Actor, rule: NumberingRule) -> None:
    """Withdraw a planned change before it takes effect; a rule in force has numbered documents and stays."""
    require(actor, NUMBERING)
    if rule.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied(_("You do not have permission to do this."))
    with transaction.atomic():
        _lock_numbering(rule.organisation)
        if rule.effective_from <= timezone.localdate():
            raise ValidationError(
                _("This numbering rule is in force: documents are numbered under it, so it stays.")
            )
        audit.record(
            actor,
            events.NUMBERING_RULE_WITHDRAWN,
            organisation=rule.organisation,
            obj=rule,
            before=audit.snapshot(rule, NUMBERING_RULE_FIELDS),
        )
        rule.delete()
