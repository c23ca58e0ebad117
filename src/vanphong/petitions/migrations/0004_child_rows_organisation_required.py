"""The organisation of child rows is required once filled (in its own transaction: PostgreSQL
refuses to alter a table with pending checks of rows just updated)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0003_child_rows_organisation")]

    operations = [
        migrations.AlterField(
            model,
            "organisation",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organisation",
                verbose_name="organisation",
            ),
        )
        for model in ("petitionhandler", "extension", "step")
    ]
