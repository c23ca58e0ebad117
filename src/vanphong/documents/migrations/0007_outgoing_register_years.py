"""Every number gets `issue_year`, the year of the outgoing register it is in.

A number given twice in one register before this could be refused (a rule switched mid-year gave
01-NQ/TU twice in 2026) is kept as it was issued, since its paper copies carry it: the first one issued
stays as it is, the later ones are marked `repeats_number_of` the first. The register shows them so,
and the constraint of 0008 holds for every number given from now on. (A migration of its own: on
PostgreSQL, rows changed in a migration's transaction hold back index changes on their table.)
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractYear

# The cell of migration 0008's constraint: a type's number once in a year's register and a term.
CELL = ["organisation", "issue_year", "term", "doc_type", "number"]
SECRET_REGISTER_SUFFIX = ":secret"  # the State rule's register of secret documents, a sequence of its own


def register_years_and_repeats(apps, schema_editor):
    OutgoingDocument = apps.get_model("documents", "OutgoingDocument")
    numbered = OutgoingDocument.objects.filter(number__isnull=False)
    numbered.update(issue_year=Coalesce(ExtractYear("issued_on"), ExtractYear("created_at")))
    # Like the constraint: a number without a term (none recorded, State rule) shares no cell, as the
    # database compares no NULLs.
    shared = numbered.filter(term__isnull=False).exclude(number_key__endswith=SECRET_REGISTER_SUFFIX)
    repeated = shared.values(*CELL).annotate(count=Count("id")).filter(count__gt=1)
    for cell in repeated:
        cell.pop("count")
        first, *later = shared.filter(**cell).order_by("issued_on", "id").values_list("id", flat=True)
        OutgoingDocument.objects.filter(id__in=later).update(repeats_number_of_id=first)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_numbering_rules"),
    ]

    operations = [
        migrations.RunPython(register_years_and_repeats, migrations.RunPython.noop),
    ]
