"""The audit events of the organisation structure: the vocabulary of its entries in the audit log."""

from vanphong.core.events import declare

# Each structure row is audited as "<model>.created" or "<model>.updated" (org.services._save),
# by model name and whether it was created.
SAVED = {
    (model, created): declare(f"{model}.{'created' if created else 'updated'}")
    for model in ("unit", "person", "term", "body", "bodymembership", "position", "positionholding")
    for created in (True, False)
}
