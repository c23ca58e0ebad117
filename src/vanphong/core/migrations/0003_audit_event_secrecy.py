"""Audit events get a secrecy label (core.secrecy); existing events are labelled from what they are about."""

from django.db import migrations, models

# Models with a secrecy of their own.
SECRET = [
    "documents.IncomingDocument",
    "documents.OutgoingDocument",
    "meetings.Submission",
    "meetings.AgendaItem",
    "followup.Source",
    "followup.Task",
]


def label(apps, schema_editor):
    Event = apps.get_model("core", "AuditEvent")

    def raise_to(events, level):
        events.filter(secrecy__lt=level).update(secrecy=level)

    for name in SECRET:
        for pk, level in apps.get_model(name).objects.exclude(secrecy=0).values_list("pk", "secrecy"):
            raise_to(Event.objects.filter(object_type=name, object_id=str(pk)), level)
    # Files are as secret as their document or paper.
    Attachment = apps.get_model("documents", "Attachment")
    for attachment in Attachment.objects.select_related("incoming", "outgoing"):
        document = attachment.incoming or attachment.outgoing
        if document is not None and document.secrecy:
            raise_to(
                Event.objects.filter(object_type="documents.Attachment", object_id=str(attachment.pk)),
                document.secrecy,
            )
    Paper = apps.get_model("meetings", "Paper")
    for paper in Paper.objects.select_related("version__submission").exclude(version__submission__secrecy=0):
        raise_to(
            Event.objects.filter(object_type="meetings.Paper", object_id=str(paper.pk)),
            paper.version.submission.secrecy,
        )
    # Agenda items were recorded on their meeting: by id (votes, conclusions) or by title (added).
    Item = apps.get_model("meetings", "AgendaItem")
    for item in Item.objects.exclude(secrecy=0):
        for event in Event.objects.filter(object_type="meetings.Meeting", object_id=str(item.meeting_id)):
            about = (event.after or {}).get("item")
            if about in (item.pk, item.title) or event.action == "meeting.held":
                raise_to(Event.objects.filter(pk=event.pk), item.secrecy)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_event_object"),
        ("documents", "0005_remove_incomingdocument_documents_i_organis_9b4846_idx_and_more"),
        ("meetings", "0001_initial"),
        ("followup", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="secrecy",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "Not secret"),
                    (1, "Confidential (Mật)"),
                    (2, "Secret (Tối mật)"),
                    (3, "Top secret (Tuyệt mật)"),
                ],
                default=0,
                verbose_name="secrecy",
            ),
        ),
        migrations.RunPython(label, migrations.RunPython.noop),
    ]
