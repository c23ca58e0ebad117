"""Routing notes, their assignments and handling notes carry their organisation like every domain row
(docs/architecture.md, tenancy), filled from their document."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Incoming = apps.get_model("documents", "IncomingDocument")
    Routing = apps.get_model("documents", "Routing")
    of_document = Subquery(Incoming.objects.filter(pk=OuterRef("document_id")).values("organisation_id")[:1])
    Routing.objects.update(organisation_id=of_document)
    apps.get_model("documents", "HandlingNote").objects.update(organisation_id=of_document)
    of_routing = Subquery(Routing.objects.filter(pk=OuterRef("routing_id")).values("organisation_id")[:1])
    apps.get_model("documents", "Assignment").objects.update(organisation_id=of_routing)


def field(null):
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.organisation",
        verbose_name="organisation",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_event_secrecy"),
        ("documents", "0008_outgoing_number_once_in_its_register"),
    ]

    operations = [
        *[
            migrations.AddField(model, "organisation", field(True))
            for model in ("routing", "assignment", "handlingnote")
        ],
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
