"""The audit events of citizen reception and petitions: the vocabulary of its entries in the audit log."""

from vanphong.core.events import declare

PETITION_SETTINGS_UPDATED = declare("petition_settings.updated")
RECEPTION_SESSION_CREATED = declare("reception_session.created")
VISIT_RECORDED = declare("visit.recorded")
VISIT_IDENTITY_VIEWED = declare("visit.identity_viewed")
PETITION_REGISTERED = declare("petition.registered")
PETITION_IDENTITY_VIEWED = declare("petition.identity_viewed")
