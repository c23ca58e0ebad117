"""Attachments: checking uploads, storing them (encrypted when secret) and reading them back.

Uploads are checked by their content, never by the content type the browser sends: the bytes must
be a PDF, a Word document (DOCX), or a PNG, JPEG or TIFF image matching the file's extension and
readable by pypdf, python-docx or Pillow. Password-protected PDFs are refused because the office
could not open them later.

Files are written through Django's storage API (`default_storage`: a local folder by default, an
S3-compatible store in production) under `attachments/YYYY/MM/<random hex>`; the original name
is kept in the database, never in the stored path. Each `StoredFile` carries the SHA-256 of the
plaintext, checked on every read.

Secret files are encrypted at rest with AES-256-GCM under a fresh random key per file, with the
stored path as associated data (a ciphertext moved to another path does not decrypt). The file key
is wrapped with the master key (RFC 3394 AES key wrap) and kept, with the nonce, beside the path.

Settings (environment variables, read in `vanphong.settings`):

- `VANPHONG_MAX_UPLOAD_MB` → `settings.MAX_UPLOAD_BYTES`: the largest upload accepted, in MB
  (default 50).
- `VANPHONG_MASTER_KEY` → `settings.MASTER_KEY`: base64url of 32 random bytes, e.g. from
  `python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`.
  When unset, a key is generated once and kept in `DATA_DIR / "master_key"` (mode 0600). Losing it
  loses every encrypted file, and a key kept beside the files protects only against the storage
  leaking alone: in production set the variable from a secret store and keep a copy apart from the
  backups.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import docx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

ATTACHMENTS_DIR = "attachments"
MEGABYTE = 1024 * 1024
NONCE_BYTES = 12

DEFAULT_ALLOWED = ("pdf", "docx", "png", "jpeg", "tiff")


@dataclass(frozen=True)
class _Kind:
    label: str  # the format's name, shown in messages
    extensions: tuple[str, ...]
    content_type: str
    magic: tuple[bytes, ...]


KINDS: dict[str, _Kind] = {
    "pdf": _Kind("PDF", ("pdf",), "application/pdf", (b"%PDF-",)),
    "docx": _Kind(
        "DOCX",
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "png": _Kind("PNG", ("png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": _Kind("JPEG", ("jpg", "jpeg", "jpe"), "image/jpeg", (b"\xff\xd8\xff",)),
    # Classic and BigTIFF, both byte orders.
    "tiff": _Kind("TIFF", ("tif", "tiff"), "image/tiff", (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")),
}
# Pillow's names for each image kind (a camera's multi-picture JPEG opens as MPO).
_PILLOW_FORMATS = {"png": {"PNG"}, "jpeg": {"JPEG", "MPO"}, "tiff": {"TIFF"}}
# A PDF may carry a few bytes before its header and after its end marker.
_PDF_HEADER_WINDOW = 1024
_PDF_TRAILER_WINDOW = 2048


@dataclass(frozen=True)
class UploadInfo:
    original_name: str  # NFC, without folders
    kind: str  # a key of KINDS
    content_type: str
    size: int
    pages: int | None  # PDF pages, image frames; None for DOCX


@dataclass(frozen=True)
class StoredFile:
    path: str  # the storage name
    sha256: str  # hex digest of the plaintext
    size: int  # plaintext size
    encrypted: bool
    wrapped_key: str  # base64 of the wrapped file key, "" when not encrypted
    nonce: str  # base64 of the AES-GCM nonce, "" when not encrypted


class FileIntegrityError(Exception):
    """A stored file is not what was stored: altered, moved, or unreadable with the master key."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Checking uploads --------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    """The file name a client sent, in NFC, without folders (either slash) or control characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in name if unicodedata.category(char) != "Cc").strip()


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:g}"


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than the limit of %(limit)s MB."),
        code="too_large",
        params={"limit": _megabytes(settings.MAX_UPLOAD_BYTES)},
    )


def _read_upload(data: bytes | IO[bytes], limit: int) -> bytes:
    """The upload's bytes, reading no more than one byte past the limit; a stream is rewound."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    declared = getattr(data, "size", None)  # Django's UploadedFile knows it without reading
    if isinstance(declared, int) and declared > limit:
        raise _too_large()
    start = data.tell() if data.seekable() else None
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = data.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    if start is not None:
        data.seek(start)
    return b"".join(chunks)


def _not_a(kind: str, name: str) -> ValidationError:
    return ValidationError(
        _("The content of “%(name)s” is not a valid %(format)s file."),
        code="content_mismatch",
        params={"name": name, "format": KINDS[kind].label},
    )


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("The file “%(name)s” is damaged or incomplete and cannot be opened."),
        code="corrupt",
        params={"name": name},
    )


def _check_pdf(data: bytes, name: str) -> int:
    if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
        raise _not_a("pdf", name)
    # A cut-off PDF lacks its end marker; pypdf would try to rebuild it and might succeed in part.
    if b"%%EOF" not in data.rstrip(b"\x00\t\n\f\r ")[-_PDF_TRAILER_WINDOW:]:
        raise _damaged(name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "The PDF “%(name)s” is protected by a password or encrypted. Upload a copy "
                    "without protection: the office could not open this one later."
                ),
                code="encrypted",
                params={"name": name},
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:  # a parser of untrusted bytes fails in many ways
        raise _damaged(name) from exc
    if pages == 0:
        raise _damaged(name)
    return pages


def _check_docx(data: bytes, name: str) -> None:
    if not data.startswith(KINDS["docx"].magic):
        raise _not_a("docx", name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(name) from exc
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise _not_a("docx", name)
    # Zip bomb guard: the parts are unpacked in memory to be parsed; zipfile never reads past
    # the declared sizes, so their sum bounds the work.
    if sum(entry.file_size for entry in entries) > 10 * settings.MAX_UPLOAD_BYTES:
        raise _damaged(name)
    try:
        docx.Document(io.BytesIO(data))
    except Exception as exc:  # not a Word document (e.g. a renamed .docm) or broken parts
        raise _not_a("docx", name) from exc


def _check_image(kind: str, data: bytes, name: str) -> int:
    if not data.startswith(KINDS[kind].magic):
        raise _not_a(kind, name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in _PILLOW_FORMATS[kind]:
                raise _not_a(kind, name)
            image.verify()
        # verify() leaves the image unusable; open again to count the frames. verify() checks the
        # PNG chunks but not JPEG or TIFF data, so decode their first frame to catch a cut-off
        # file (a JPEG at 1/8 scale, which still reads all of it).
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1) if kind == "tiff" else 1
            if kind == "jpeg":
                image.draft("RGB", (1, 1))
            if kind != "png":
                image.load()
    except ValidationError:
        raise
    except Exception as exc:  # includes Pillow's DecompressionBombError
        raise _damaged(name) from exc
    return int(frames)


def validate_upload(
    name: str, data: bytes | IO[bytes], *, allowed: Iterable[str] = DEFAULT_ALLOWED
) -> UploadInfo:
    """Check an upload by its content; raise ValidationError (code and message) when refused.

    `allowed` names kinds (keys of KINDS). A stream (e.g. Django's UploadedFile) is read up to the
    size limit and rewound, so the caller can read it again to store it.
    """
    allowed = tuple(allowed)
    unknown = set(allowed) - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    original_name = _clean_name(name)
    limit = settings.MAX_UPLOAD_BYTES
    content = _read_upload(data, limit)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > limit:
        raise _too_large()

    extension = original_name.rpartition(".")[2].lower() if "." in original_name else ""
    kind = next((k for k in allowed if extension in KINDS[k].extensions), None)
    if kind is None:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted types: %(accepted)s."),
            code="extension",
            params={
                "extension": f".{extension}" if extension else original_name,
                "accepted": ", ".join(f".{ext}" for k in allowed for ext in KINDS[k].extensions),
            },
        )

    pages: int | None
    if kind == "pdf":
        pages = _check_pdf(content, original_name)
    elif kind == "docx":
        _check_docx(content, original_name)
        pages = None
    else:
        pages = _check_image(kind, content, original_name)
    return UploadInfo(
        original_name=original_name,
        kind=kind,
        content_type=KINDS[kind].content_type,
        size=len(content),
        pages=pages,
    )


# --- Storing and reading -----------------------------------------------------------------------


def _master_key() -> bytes:
    value: str | bytes = settings.MASTER_KEY
    if isinstance(value, str):
        text = value.strip()
        try:
            value = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured("MASTER_KEY must be base64url of 32 bytes") from exc
    if len(value) != 32:
        raise ImproperlyConfigured("MASTER_KEY must be base64url of 32 bytes")
    return value


def _new_path() -> str:
    today = timezone.localdate()
    return f"{ATTACHMENTS_DIR}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}"


def store_file(data: bytes, *, encrypt: bool) -> StoredFile:
    """Write the bytes under a new path, encrypted when asked; keep the result in the database."""
    path = _new_path()
    wrapped_key = nonce = ""
    payload = data
    if encrypt:
        master_key = _master_key()
        file_key = AESGCM.generate_key(bit_length=256)
        nonce_bytes = os.urandom(NONCE_BYTES)
        payload = AESGCM(file_key).encrypt(nonce_bytes, data, path.encode())
        wrapped_key = base64.b64encode(aes_key_wrap(master_key, file_key)).decode("ascii")
        nonce = base64.b64encode(nonce_bytes).decode("ascii")
    saved = default_storage.save(path, ContentFile(payload))
    if saved != path:
        # The path is the ciphertext's associated data; a storage that renamed it broke the file.
        default_storage.delete(saved)
        raise RuntimeError(f"storage saved {path} as {saved}")
    return StoredFile(
        path=path,
        sha256=sha256_hex(data),
        size=len(data),
        encrypted=encrypt,
        wrapped_key=wrapped_key,
        nonce=nonce,
    )


def _integrity_error(path: str) -> FileIntegrityError:
    return FileIntegrityError(
        path, _("The stored file %(path)s has been altered or damaged.") % {"path": path}
    )


def _decrypt(stored: StoredFile, payload: bytes) -> bytes:
    try:
        wrapped_key = base64.b64decode(stored.wrapped_key, validate=True)
        nonce = base64.b64decode(stored.nonce, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _integrity_error(stored.path) from exc
    if not wrapped_key or len(nonce) != NONCE_BYTES:
        raise _integrity_error(stored.path)
    try:
        file_key = aes_key_unwrap(_master_key(), wrapped_key)
    except InvalidUnwrap as exc:
        raise FileIntegrityError(
            stored.path,
            _("The stored file %(path)s cannot be decrypted with the current master key.")
            % {"path": stored.path},
        ) from exc
    try:
        return AESGCM(file_key).decrypt(nonce, payload, stored.path.encode())
    except (InvalidTag, ValueError) as exc:
        raise _integrity_error(stored.path) from exc


def read_file(stored: StoredFile) -> bytes:
    """The plaintext, decrypted when needed and checked against the recorded size and SHA-256.

    Raises FileIntegrityError when the file was altered, moved or cannot be decrypted, and the
    storage's error (FileNotFoundError for the local folder) when it is missing.
    """
    with default_storage.open(stored.path, "rb") as handle:
        payload = handle.read()
    data = _decrypt(stored, payload) if stored.encrypted else payload
    if len(data) != stored.size or sha256_hex(data) != stored.sha256:
        raise _integrity_error(stored.path)
    return data


def delete_file(path: str) -> None:
    """Remove a stored file; a path already gone is not an error."""
    default_storage.delete(path)


@contextmanager
def stored_for_transaction(contents: Sequence[bytes], *, encrypt: bool) -> Iterator[list[StoredFile]]:
    """Store files for the transaction that follows (`with stored_for_transaction(...) as files,
    transaction.atomic():`); if it fails, the stored files are removed again."""
    stored = [store_file(data, encrypt=encrypt) for data in contents]
    try:
        yield stored
    except BaseException:
        for file in stored:
            delete_file(file.path)
        raise
