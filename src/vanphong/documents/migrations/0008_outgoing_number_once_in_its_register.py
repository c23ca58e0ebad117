"""The database refuses a number twice in its register (0007 gave every number its register's year and
marked the numbers given twice before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_outgoing_register_years"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="outgoingdocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("number__isnull", False),
                    ("repeats_number_of__isnull", True),
                    models.Q(("number_key__endswith", ":secret"), _negated=True),
                ),
                fields=("organisation", "issue_year", "term", "doc_type", "number"),
                name="outgoing_number_once_in_its_register",
            ),
        ),
        migrations.AddConstraint(
            model_name="outgoingdocument",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__isnull", True), ("issue_year__isnull", False), _connector="OR"),
                name="outgoing_number_has_its_register_year",
            ),
        ),
    ]
