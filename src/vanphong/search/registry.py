"""The searchable kinds as the search app uses them (declared in core.searchable by each app's
`search.py`): where a result's place is shown, and the signals that keep the index in step."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from vanphong.core.searchable import KINDS


def place_label(segment: dict[str, Any]) -> str:
    if segment.get("file"):
        if segment.get("page"):
            return _("%(file)s, page %(page)s") % {"file": segment["file"], "page": segment["page"]}
        return str(segment["file"])
    return _(segment["label"]) if segment.get("label") else ""


def connect_signals() -> None:
    """Keep the index in step with the data, in the same transaction as the write: saves, deletes and
    bulk creations (core.signals.bulk_created, which services send after bulk_create)."""
    from vanphong.core.signals import bulk_created
    from vanphong.search import services

    def changed(sender: type[models.Model], instances: list[Any]) -> None:
        for kind in KINDS.values():
            if sender is kind.model:
                services.index_objects(kind, instances)
            elif sender in kind.parents:
                parents = [kind.parents[sender](instance) for instance in instances]
                services.index_objects(kind, [parent for parent in parents if parent is not None])

    def saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            changed(sender, [instance])

    def created(sender: type[models.Model], instances: list[Any], **kwargs: Any) -> None:
        changed(sender, list(instances))

    def deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        for kind in KINDS.values():
            if sender is kind.model:
                services.remove_object(kind, instance.pk)
            elif sender in kind.parents:
                parent = kind.parents[sender](instance)
                if parent is not None and parent.pk is not None:
                    services.index_objects(kind, [parent])

    post_save.connect(saved, weak=False, dispatch_uid="vanphong-search-saved")
    bulk_created.connect(created, weak=False, dispatch_uid="vanphong-search-bulk-created")
    post_delete.connect(deleted, weak=False, dispatch_uid="vanphong-search-deleted")
