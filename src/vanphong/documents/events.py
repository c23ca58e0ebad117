"""The audit events of the văn thư (documents): the vocabulary of its entries in the audit log."""

from vanphong.core.events import declare

REGISTER_IMPORTED = declare("register.imported")
INCOMING_REGISTERED = declare("incoming.registered")
INCOMING_ROUTED = declare("incoming.routed")
INCOMING_HANDLED = declare("incoming.handled")
INCOMING_CANCELLED = declare("incoming.cancelled")
INCOMING_NOTE_COMMENT = declare("incoming.note_comment")
INCOMING_NOTE_DRAFT = declare("incoming.note_draft")
OUTGOING_CREATED = declare("outgoing.created")
OUTGOING_UPDATED = declare("outgoing.updated")
NUMBERING_RULE_CREATED = declare("numbering_rule.created")
NUMBERING_RULE_WITHDRAWN = declare("numbering_rule.withdrawn")
ATTACHMENT_OPENED = declare("attachment.opened")
ATTACHMENT_ADDED = declare("attachment.added")
# The steps of an outgoing document (documents.services._transition) and of handling notes.
OUTGOING_SUBMITTED = declare("outgoing.submitted")
OUTGOING_APPROVED = declare("outgoing.approved")
OUTGOING_RETURNED = declare("outgoing.returned")
OUTGOING_ISSUED = declare("outgoing.issued")
OUTGOING_CANCELLED = declare("outgoing.cancelled")
