"""Files of documents through the API: their bytes (openings of secret files are audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from vanphong.core.access import access_object
from vanphong.core.downloads import stored_file_response
from vanphong.core.tenancy import actor_of
from vanphong.documents import attachments
from vanphong.documents.api.common import (
    router,
)
from vanphong.documents.models import (
    Attachment,
)

FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The file, with its content type (PDF, DOCX or an image)",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/attachments/{pk}", url_name="attachment_download", openapi_extra=FILE_RESPONSE)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's bytes. Opening a file of a secret document is recorded in the audit log."""
    actor = actor_of(request)
    attachment = access_object(actor, Attachment.objects.select_related("incoming", "outgoing"), pk)
    return stored_file_response(attachment, attachments.open_attachment(actor, attachment), download=True)
