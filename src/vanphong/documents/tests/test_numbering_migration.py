"""Migrations 0006-0008 on data the old numbering left: a rule switched mid-year gave 01-NQ/TU twice."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from vanphong.documents.models import NumberingRule, NumberingScheme, OutgoingDocument

D = datetime.date
BEFORE = [("documents", "0005_remove_incomingdocument_documents_i_organis_9b4846_idx_and_more")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_numbers_given_twice_are_kept_as_issued_and_the_later_ones_marked():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps
        organisation = old.get_model("core", "Organisation").objects.create(
            code="tu-cu", name="Tỉnh ủy Cũ", short_name="TU", symbol="TU", level="province", place_name="Cũ"
        )
        old.get_model("documents", "DocumentSettings").objects.create(
            organisation=organisation, numbering_scheme="state"
        )
        term = old.get_model("org", "Term").objects.create(
            organisation=organisation, name="Khóa XVII", start_date=D(2025, 10, 15)
        )
        types = old.get_model("documents", "DocumentType").objects

        def issued(key: str, symbol: str, number: int, day: datetime.date, secrecy: int = 0) -> int:
            return (
                old.get_model("documents", "OutgoingDocument")
                .objects.create(
                    organisation=organisation,
                    doc_type=types.get(symbol=symbol),
                    summary="Về công tác cán bộ",
                    secrecy=secrecy,
                    status="issued",
                    term=term,
                    number=number,
                    number_key=key,
                    reference=f"{number:02d}-{symbol}/TU",
                    issued_on=day,
                )
                .pk
            )

        party = f"out:term:{term.pk}:NQ"
        first = issued(party, "NQ", 1, D(2026, 3, 2))
        issued(party, "NQ", 2, D(2026, 4, 1))
        secret = issued(party, "NQ", 3, D(2026, 5, 4), secrecy=1)
        # Switched to the State rule in August: 01-NQ/TU again, then 02-CV/TU, 03-NQ/TU (not secret).
        again = issued("out:year:2026:open", "NQ", 1, D(2026, 8, 3))
        cv = issued("out:year:2026:open", "CV", 2, D(2026, 8, 4))
        third = issued("out:year:2026:open", "NQ", 3, D(2026, 8, 5))
        migrate(latest)
    finally:
        migrate(latest)

    docs = {doc.pk: doc for doc in OutgoingDocument.objects.all()}
    assert {doc.issue_year for doc in docs.values()} == {2026}
    assert docs[again].repeats_number_of_id == first and docs[again].reference == "01-NQ/TU"
    assert docs[third].repeats_number_of_id == secret  # a secret Party number is in the same register
    assert {pk for pk, doc in docs.items() if doc.repeats_number_of_id} == {again, third}
    assert docs[cv].number == 2
    rule = NumberingRule.objects.get(organisation=organisation.pk)
    assert (rule.scheme, rule.effective_from) == (NumberingScheme.STATE, datetime.date.min)
    twin = docs[first]
    twin.pk, twin._state.adding, twin.number_key = None, True, "out:year:2026:open:x"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
