"""Handlers, extensions and steps of a petition carry their organisation like every domain row
(docs/architecture.md, tenancy), filled from their petition."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

MODELS = ("petitionhandler", "extension", "step")


def fill(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    of_petition = Subquery(Petition.objects.filter(pk=OuterRef("petition_id")).values("organisation_id")[:1])
    for name in ("PetitionHandler", "Extension", "Step"):
        apps.get_model("petitions", name).objects.update(organisation_id=of_petition)


def field(null):
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.organisation",
        verbose_name="organisation",
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_event_secrecy"), ("petitions", "0002_day_count_readings")]

    operations = [
        *[migrations.AddField(model, "organisation", field(True)) for model in MODELS],
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
