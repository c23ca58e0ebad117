"""Load the shipped table of document types (documents/data/document_types.json)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "document_types.json"


def load(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for order, (symbol, name, title, group, confidence) in enumerate(data["types"]):
        DocumentType.objects.update_or_create(
            symbol=symbol,
            defaults={
                "name": name,
                "title": title,
                "group": group,
                "order": order,
                "source": f"QĐ 399-QĐ/TW; {confidence}",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
