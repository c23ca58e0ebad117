"""Pages of the meetings module, by concern: `meetings` (meetings and the paperless meeting room),
`submissions` (submissions and their appraisal), `schedule` (the weekly schedule, the personal
calendar feed and the statistics). What they share is here."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from vanphong.core import bounds

PAGE_SIZE = 50


def day_param(value: str | None) -> datetime.date:
    return bounds.day_param(value, timezone.localdate())


def invalid(form: Any) -> None:
    """A form's errors as a refusal, for `core.pages.run` to show."""
    raise ValidationError([text for errors in form.errors.values() for text in errors])
