"""The documents part of the JSON API: incoming and outgoing registers, routing, drafts, attachments.

Every handler acts as the token's actor (`actor_of(request)`), reads through `visible`/`access_object`
(or the selectors built on them) and writes only through the services (`documents.incoming`,
`documents.outgoing`, `documents.attachments`), so the API obeys exactly the permissions, validation
and audit of the web interface. Output is read from the rows through the schemas (their resolvers).

The endpoints are in `incoming`, `outgoing` and `attachments`, on the one router of `common`.
"""

from vanphong.documents.api import attachments, incoming, outgoing
from vanphong.documents.api.common import router

__all__ = ["attachments", "incoming", "outgoing", "router"]
