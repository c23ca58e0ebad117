"""The audit events of accounts: the vocabulary of its entries in the audit log."""

from vanphong.core.events import declare

MEMBERSHIP_UPDATED = declare("membership.updated")
MEMBERSHIP_CREATED = declare("membership.created")
USER_CREATED = declare("user.created")
API_TOKEN_CREATED = declare("api_token.created")
API_TOKEN_REVOKED = declare("api_token.revoked")
