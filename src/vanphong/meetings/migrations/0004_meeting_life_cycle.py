"""Meetings get a life cycle: planned, in session, held; postponed (with a reason), cancelled.

Held and cancelled meetings stay as they are. A planned meeting whose start has passed and for which
attendance or a vote was recorded was in fact in session: it becomes so, to be closed with its minutes.
Every other planned meeting stays planned.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.utils import timezone


def open_sessions(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Invitee = apps.get_model("meetings", "Invitee")
    Vote = apps.get_model("meetings", "Vote")
    marked = Invitee.objects.filter(meeting=OuterRef("pk")).exclude(attendance="")
    voted = Vote.objects.filter(item__meeting=OuterRef("pk"))
    Meeting.objects.filter(status="planned", starts_at__lte=timezone.now()).filter(
        Exists(marked) | Exists(voted)
    ).update(status="in_session")


def back_to_planned(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(status__in=["in_session", "postponed"]).update(status="planned")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_neutral_source_titles"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="status_reason",
            field=models.CharField(blank=True, max_length=255, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="status",
            field=models.CharField(
                choices=[
                    ("planned", "planned"),
                    ("in_session", "in session"),
                    ("held", "held"),
                    ("postponed", "postponed"),
                    ("cancelled", "cancelled"),
                ],
                default="planned",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(open_sessions, back_to_planned),
    ]
