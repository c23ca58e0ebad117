"""Each deadline rule carries its own reading of calendar or working days; where that reading is not
confirmed (FACTS §4: OPEN) an organisation may still choose another one for all such rules.

The intake of a denunciation is 07 working days (Luật Tố cáo 2018, Điều 24(1)), no longer calendar
days by default. Existing deployments get the corrected default: rules read as "open" take the
reading below, and organisations' settings holding the former default (calendar days) now follow
each rule's reading; an organisation that had chosen working days keeps its choice.
"""

from django.db import migrations, models

# The shipped rules whose reading is not confirmed, and their reading.
OPEN_READINGS = {
    # Luật Khiếu nại 2011, Điều 27: 10 days to accept a complaint; calendar days, the stricter reading.
    ("complaint", "acceptance", "", "2012-07-01"): "calendar",
    # Luật Tố cáo 2018, Điều 24(1): 07 working days for the intake of a denunciation.
    ("denunciation", "acceptance", "", "2019-01-01"): "working",
}


def read_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("petitions", "DeadlineRule")
    PetitionSettings = apps.get_model("petitions", "PetitionSettings")
    for (kind, stage, instance, effective_from), reading in OPEN_READINGS.items():
        DeadlineRule.objects.filter(
            kind=kind, stage=stage, instance=instance, effective_from=effective_from
        ).update(day_count=reading, day_count_open=True)
    # Rows added in the administration as "open": calendar days, the former default.
    DeadlineRule.objects.filter(day_count="open").update(day_count="calendar", day_count_open=True)
    PetitionSettings.objects.filter(open_day_count="calendar").update(open_day_count="")


def unread_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("petitions", "DeadlineRule")
    PetitionSettings = apps.get_model("petitions", "PetitionSettings")
    DeadlineRule.objects.filter(day_count_open=True).update(day_count="open")
    PetitionSettings.objects.filter(open_day_count="").update(open_day_count="calendar")


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlinerule",
            name="day_count_open",
            field=models.BooleanField(
                default=False,
                help_text="The organisation's petition settings may count these days otherwise.",
                verbose_name="reading not confirmed",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinerule",
            name="day_count",
            field=models.CharField(
                choices=[("calendar", "Calendar days"), ("working", "Working days")],
                max_length=10,
                verbose_name="days counted",
            ),
        ),
        migrations.AlterField(
            model_name="petitionsettings",
            name="open_day_count",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "As each rule reads"),
                    ("calendar", "Calendar days"),
                    ("working", "Working days"),
                ],
                default="",
                max_length=10,
                verbose_name="how to count days where the regulation's reading is not confirmed",
            ),
        ),
        migrations.RunPython(read_rules, unread_rules),
    ]
