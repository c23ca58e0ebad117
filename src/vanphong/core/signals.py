"""Signals of the core that other apps send or receive."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by a service after Model.objects.bulk_create(), which sends no post_save: `sender` is the model,
# `instances` the created objects (with their primary keys). The search index listens to it.
bulk_created = Signal()
