"""The audit events of the văn thư (documents): the vocabulary of its entries in the audit log.

The transitions of incoming and outgoing documents ("incoming.routed", "outgoing.issued"...) are
declared by their workflows (documents.workflow)."""

from vanphong.core.events import declare

REGISTER_IMPORTED = declare("register.imported")
INCOMING_REGISTERED = declare("incoming.registered")
INCOMING_NOTE_COMMENT = declare("incoming.note_comment")
INCOMING_NOTE_DRAFT = declare("incoming.note_draft")
OUTGOING_CREATED = declare("outgoing.created")
OUTGOING_UPDATED = declare("outgoing.updated")
NUMBERING_RULE_CREATED = declare("numbering_rule.created")
NUMBERING_RULE_WITHDRAWN = declare("numbering_rule.withdrawn")
ATTACHMENT_OPENED = declare("attachment.opened")
ATTACHMENT_ADDED = declare("attachment.added")
