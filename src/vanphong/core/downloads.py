"""HTTP responses for files the user may open: one place for the headers every download needs.

The caller has checked access (`access_object`) and read the file (auditing secret openings). The
response never lets the browser guess another content type; `core.middleware.NoStoreMiddleware`
keeps browsers and proxies from storing it, like every other answer.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from vanphong.core.models import StoredFileRecord

# Kinds a browser shows itself (core.files.KINDS); the others are downloaded.
INLINE_KINDS = frozenset({"pdf", "png", "jpeg"})


def file_response(data: bytes, name: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file_response(record: StoredFileRecord, data: bytes, *, download: bool = False) -> HttpResponse:
    """A stored file under its original name, shown in the browser where it can be, unless `download`."""
    inline = not download and record.kind in INLINE_KINDS
    return file_response(data, record.original_name, record.content_type, inline=inline)
