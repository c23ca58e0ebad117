"""Writing a checked register in one transaction: the rows keep their numbers, the number
sequences move past the highest one imported, one audit event is recorded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Organisation
from vanphong.core.signals import bulk_created
from vanphong.documents import events, numbering
from vanphong.documents.importing.checking import check_file
from vanphong.documents.importing.mapping import HANDLED, INCOMING, KINDS
from vanphong.documents.importing.reports import ImportRow, Report
from vanphong.documents.incoming import search_text
from vanphong.documents.models import (
    IncomingDocument,
    NumberSequence,
    OutgoingDocument,
)
from vanphong.documents.permissions import IMPORT


def import_file(
    actor: Actor,
    kind: str,
    name: str,
    data: bytes,
    *,
    expected_sha256: str = "",
    incoming_status: str = HANDLED,
) -> Report:
    """Check the file again and, when it is clean (and is the file that was checked), import it."""
    report = check_file(actor, kind, name, data, incoming_status=incoming_status)
    if expected_sha256 and expected_sha256 != report.sha256:
        raise ValidationError(
            _(
                "This is not the file that was checked (its SHA-256 is %(sha256)s). "
                "Check the file again before importing it."
            )
            % {"sha256": report.sha256}
        )
    if report.is_clean:
        report.imported = import_rows(actor, kind, report.rows, sha256=report.sha256, file_name=name)
    return report


def _lock_sequences(organisation: Organisation, keys: Iterable[str]) -> dict[str, NumberSequence]:
    sequences = {}
    for key in sorted(keys):  # one order, so two imports cannot deadlock
        NumberSequence.objects.get_or_create(organisation=organisation, key=key)
        sequences[key] = NumberSequence.objects.select_for_update().get(organisation=organisation, key=key)
    return sequences


def import_rows(
    actor: Actor, kind: str, rows: Sequence[ImportRow], *, sha256: str = "", file_name: str = ""
) -> int:
    """Write checked rows in one transaction with their original numbers; move the sequences past them.

    The rows come from `check_file`; permission, clearance and numbers are checked again here, inside
    the transaction and with the sequences locked, so a number taken meanwhile is refused, not repeated.
    """
    require(actor, IMPORT)
    organisation = actor.organisation
    assert organisation is not None
    if kind not in KINDS:
        raise ValidationError(_("Choose the register to import."))
    if not rows:
        raise ValidationError(_("The file has no rows below the header."))
    if any(row.fields["secrecy"] > actor.clearance for row in rows):
        raise PermissionDenied(_("Your clearance does not allow importing documents of this secrecy level."))
    highest: dict[str, int] = {}
    for row in rows:
        if kind == INCOMING:
            key, number = numbering.incoming_key(row.fields["arrival_year"]), row.fields["arrival_number"]
        else:
            key, number = row.fields["number_key"], row.fields["number"]
        highest[key] = max(highest.get(key, 0), number)
    try:
        with transaction.atomic():
            sequences = _lock_sequences(organisation, highest)
            if kind == INCOMING:
                count = _create_incoming(actor, organisation, rows)
            else:
                count = _create_outgoing(actor, organisation, rows)
            for key, number in highest.items():
                sequence = sequences[key]
                if sequence.last_number < number:
                    sequence.last_number = number
                    sequence.save(update_fields=["last_number"])
            audit.record(
                actor,
                events.REGISTER_IMPORTED,
                organisation=organisation,
                after={
                    "kind": kind,
                    "count": count,
                    "sha256": sha256,
                    "file": file_name,
                    "sequences": {key: sequences[key].last_number for key in sorted(sequences)},
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Some of these numbers were registered meanwhile; check the file again.")
        ) from exc
    return count


def _clashes(numbers: set[Any], taken: Iterable[Any]) -> list[Any]:
    return sorted(numbers.intersection(taken))


def _create_incoming(actor: Actor, organisation: Organisation, rows: Sequence[ImportRow]) -> int:
    wanted = {(row.fields["arrival_year"], row.fields["arrival_number"]) for row in rows}
    taken = IncomingDocument.objects.filter(
        organisation=organisation, arrival_year__in={year for year, _number in wanted}
    ).values_list("arrival_year", "arrival_number")
    if clashes := _clashes(wanted, taken):
        raise ValidationError(
            _("Already in the register: %(numbers)s. Check the file again.")
            % {"numbers": ", ".join(f"{number}/{year}" for year, number in clashes[:20])}
        )
    docs = []
    for row in rows:
        values = row.fields
        docs.append(
            IncomingDocument(
                organisation=organisation,
                registered_by=actor.user,
                search_text=search_text(
                    values["summary"],
                    values["sender_name"],
                    values["sender_reference"],
                    values["doc_type"].name,
                ),
                **values,
            )
        )
    IncomingDocument.objects.bulk_create(docs, batch_size=500)
    bulk_created.send(sender=IncomingDocument, instances=docs)
    return len(docs)


def _create_outgoing(actor: Actor, organisation: Organisation, rows: Sequence[ImportRow]) -> int:
    for row in rows:
        signer, term = row.fields["signer"], row.fields["term"]
        if (signer is not None and signer.organisation_id != organisation.pk) or (
            term is not None and term.organisation_id != organisation.pk
        ):
            raise ValidationError(_("The selected item does not exist."))
    wanted = {(row.fields["number_key"], row.fields["number"]) for row in rows}
    taken = OutgoingDocument.objects.filter(
        organisation=organisation, number_key__in={key for key, _number in wanted}, number__isnull=False
    ).values_list("number_key", "number")
    if clashes := _clashes(wanted, taken):
        by_key = {(row.fields["number_key"], row.fields["number"]): row.fields["reference"] for row in rows}
        raise ValidationError(
            _("Already in the register: %(numbers)s. Check the file again.")
            % {"numbers": ", ".join(by_key[clash] for clash in clashes[:20])}
        )
    docs = []
    for row in rows:
        values = row.fields
        docs.append(
            OutgoingDocument(
                organisation=organisation,
                created_by=actor.user,
                search_text=search_text(values["summary"], values["doc_type"].name),
                **values,
            )
        )
    OutgoingDocument.objects.bulk_create(docs, batch_size=500)
    bulk_created.send(sender=OutgoingDocument, instances=docs)
    return len(docs)
