"""Each vote keeps the quorum as it stood when it was taken: without it nothing passes.

Votes recorded before get the number their organisation's rule gives for their body today (the
rule's default, 2/3 of the members, where the organisation has none), from the members counted then.
"""

from fractions import Fraction
from math import ceil

from django.db import migrations, models


def fill_quorum(apps, schema_editor):
    Vote = apps.get_model("meetings", "Vote")
    MeetingRule = apps.get_model("meetings", "MeetingRule")
    rules = {
        (rule.organisation_id, rule.body_kind): (rule.quorum_numerator, rule.quorum_denominator)
        for rule in MeetingRule.objects.all()
    }
    for vote in Vote.objects.select_related("item__meeting__body"):
        body = vote.item.meeting.body
        numerator, denominator = rules.get((vote.organisation_id, body.kind if body else ""), (2, 3))
        vote.quorum_required = ceil(vote.members * Fraction(numerator, denominator))
        vote.save(update_fields=["quorum_required"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="vote",
            name="quorum_required",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="members needed for a quorum"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_quorum, migrations.RunPython.noop),
    ]
