"""Data migrations of petitions, run on a database as an existing deployment has it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vanphong.petitions import rules
from vanphong.petitions.models import DayCount, DeadlineRule, PetitionKind, Stage

BEFORE = [("petitions", "0001_initial")]


def migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    """Migrate to `targets`, or to the latest migrations; the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_deployment_gets_working_days_for_the_denunciation_intake(org_a, org_b):
    old = migrate(BEFORE)
    # As shipped before: both acceptance rules read "open"; one office had saved its settings with
    # the former default (calendar days), another had chosen working days.
    old.get_model("petitions", "DeadlineRule").objects.filter(stage="acceptance").update(day_count="open")
    settings = old.get_model("petitions", "PetitionSettings")
    settings.objects.create(organisation_id=org_a.pk, open_day_count="calendar", move_off_day_deadlines=True)
    settings.objects.create(organisation_id=org_b.pk, open_day_count="working")
    migrate()

    intake = DeadlineRule.objects.get(kind=PetitionKind.DENUNCIATION, stage=Stage.ACCEPTANCE)
    complaint = DeadlineRule.objects.get(kind=PetitionKind.COMPLAINT, stage=Stage.ACCEPTANCE)
    assert (intake.day_count, intake.day_count_open) == (DayCount.WORKING, True)
    assert (complaint.day_count, complaint.day_count_open) == (DayCount.CALENDAR, True)
    kept = rules.petition_settings(org_a)
    assert (kept.open_day_count, kept.move_off_day_deadlines) == ("", True)
    assert rules.petition_settings(org_b).open_day_count == DayCount.WORKING
    # Luật Tố cáo 2018, Điều 24(1): 07 working days from Thu 12/2/2026, Tết not counted.
    deadline = rules.acceptance_deadline(PetitionKind.DENUNCIATION, datetime.date(2026, 2, 12), org_a)
    assert deadline is not None and deadline.date == datetime.date(2026, 3, 2)
