"""Numbering rules become versioned data; outgoing numbers get a field for their register's year and one
for the numbers given twice before (filled by 0007; the constraint comes in 0008).

- The organisation-wide setting `DocumentSettings.numbering_scheme` had no date: it applied to every
  date. An organisation that had chosen the State rule gets a `NumberingRule` in force since always
  (`datetime.date.min`); the others have none and number by the Party rule, the default.
"""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

SINCE_ALWAYS = datetime.date.min


def rules_from_settings(apps, schema_editor):
    DocumentSettings = apps.get_model("documents", "DocumentSettings")
    NumberingRule = apps.get_model("documents", "NumberingRule")
    NumberingRule.objects.bulk_create(
        NumberingRule(organisation_id=organisation_id, scheme="state", effective_from=SINCE_ALWAYS)
        for organisation_id in DocumentSettings.objects.filter(numbering_scheme="state").values_list(
            "organisation_id", flat=True
        )
    )


def settings_from_rules(apps, schema_editor):
    DocumentSettings = apps.get_model("documents", "DocumentSettings")
    NumberingRule = apps.get_model("documents", "NumberingRule")
    today = timezone.localdate()
    for organisation_id in set(NumberingRule.objects.values_list("organisation_id", flat=True)):
        in_force = (
            NumberingRule.objects.filter(organisation_id=organisation_id, effective_from__lte=today)
            .order_by("-effective_from")
            .values_list("scheme", flat=True)
            .first()
        )
        DocumentSettings.objects.update_or_create(
            organisation_id=organisation_id, defaults={"numbering_scheme": in_force or "party"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_event_object"),
        ("documents", "0005_remove_incomingdocument_documents_i_organis_9b4846_idx_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NumberingRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scheme",
                    models.CharField(
                        choices=[
                            ("party", "Party rule: one sequence per type per term"),
                            ("state", "State rule: one sequence per year, secret documents separate"),
                        ],
                        max_length=10,
                        verbose_name="numbering",
                    ),
                ),
                ("effective_from", models.DateField(verbose_name="in force from")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "numbering rule",
                "verbose_name_plural": "numbering rules",
                "ordering": ["organisation", "-effective_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "effective_from"), name="numbering_rule_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(rules_from_settings, settings_from_rules),
        migrations.RemoveField(model_name="documentsettings", name="numbering_scheme"),
        migrations.AddField(
            model_name="outgoingdocument",
            name="issue_year",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="outgoingdocument",
            name="repeats_number_of",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.outgoingdocument",
                verbose_name="repeats the number of",
            ),
        ),
    ]
