"""Follow-up sources made from a meeting's conclusions no longer carry the meeting's title
(meetings.services.source_title): the units given its tasks may not see the meeting."""

from django.db import migrations


def retitle(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    for meeting in Meeting.objects.filter(followup_source__isnull=False).select_related(
        "body", "followup_source"
    ):
        day = (meeting.starts_at.astimezone(_zone())).date()
        if meeting.body is not None:
            title = f"Kết luận của {meeting.body.name} ngày {day:%d/%m/%Y}"
        else:
            title = f"Kết luận tại cuộc họp ngày {day:%d/%m/%Y}"
        source = meeting.followup_source
        source.title = title
        source.save(update_fields=["title"])


def _zone():
    import zoneinfo

    from django.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_vote_quorum_required"), ("followup", "0001_initial")]

    operations = [migrations.RunPython(retitle, migrations.RunPython.noop)]
