"""Tests for vanphong.core.files: real files made here, real crypto, real storage in a temp folder."""

from __future__ import annotations

import base64
import io
import os
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from vanphong import settings as settings_module
from vanphong.core.files import (
    MEGABYTE,
    FileIntegrityError,
    StoredFile,
    UploadInfo,
    delete_file,
    read_file,
    sha256_hex,
    store_file,
    validate_upload,
)

# --- Sample files ------------------------------------------------------------------------------


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_encrypted_pdf(user_password: str = "mat-khau") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_pillow_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(out, "PDF")
    return out.getvalue()


def make_docx(text: str = "Nghị quyết về công tác cán bộ") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_image(fmt: str, frames: int = 1, size: tuple[int, int] = (40, 30), noise: bool = False) -> bytes:
    if noise:  # incompressible, so that cutting the file cuts the pixel data
        images = [Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) for _ in range(frames)]
    else:
        images = [Image.new("RGB", size, color) for color in ("red", "green", "blue")[:frames]]
    out = io.BytesIO()
    if frames > 1:
        images[0].save(out, fmt, save_all=True, append_images=images[1:])
    else:
        images[0].save(out, fmt)
    return out.getvalue()


def make_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def refusal(name: str, data: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(name, data, **kwargs)
    return caught.value


# --- Uploads that pass -------------------------------------------------------------------------


def test_pdf_passes_with_its_page_count() -> None:
    data = make_pdf(pages=3)
    info = validate_upload("Nghi quyet 01.pdf", data)
    assert info == UploadInfo(
        original_name="Nghi quyet 01.pdf", kind="pdf", content_type="application/pdf", size=len(data), pages=3
    )


def test_pdf_made_by_pillow_passes() -> None:
    info = validate_upload("scan.PDF", make_pillow_pdf())
    assert (info.kind, info.pages) == ("pdf", 1)


def test_docx_passes_without_page_count() -> None:
    info = validate_upload("To trinh.docx", make_docx())
    assert info.kind == "docx"
    assert info.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert info.pages is None


@pytest.mark.parametrize(
    ("name", "fmt", "kind", "content_type"),
    [
        ("anh.png", "PNG", "png", "image/png"),
        ("anh.jpg", "JPEG", "jpeg", "image/jpeg"),
        ("anh.JPEG", "JPEG", "jpeg", "image/jpeg"),
        ("scan.tif", "TIFF", "tiff", "image/tiff"),
        ("scan.tiff", "TIFF", "tiff", "image/tiff"),
    ],
)
def test_images_pass_as_one_page(name: str, fmt: str, kind: str, content_type: str) -> None:
    info = validate_upload(name, make_image(fmt))
    assert (info.kind, info.content_type, info.pages) == (kind, content_type, 1)


def test_multipage_tiff_counts_its_frames() -> None:
    assert validate_upload("fax.tiff", make_image("TIFF", frames=3)).pages == 3


def test_uploaded_file_is_read_and_rewound() -> None:
    data = make_pdf()
    upload = SimpleUploadedFile(
        "bien-ban.pdf", data, content_type="text/plain"
    )  # the client's type is ignored
    info = validate_upload(upload.name or "", upload)
    assert (info.kind, info.content_type, info.size) == ("pdf", "application/pdf", len(data))
    assert upload.read() == data


def test_stream_is_accepted() -> None:
    stream = io.BytesIO(make_docx())
    stream.seek(0)
    assert validate_upload("a.docx", stream).kind == "docx"
    assert stream.tell() == 0


# --- Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/Quyết định.pdf", "Quyết định.pdf"),
        ("C:\\Users\\van thu\\Desktop\\Quyết định.pdf", "Quyết định.pdf"),
        ("/tmp/x/ Quyết định.pdf ", "Quyết định.pdf"),
        ("Quy\x00ết định.pdf", "Quyết định.pdf"),
    ],
)
def test_names_lose_their_folders(sent: str, kept: str) -> None:
    assert validate_upload(sent, make_pdf()).original_name == kept


def test_names_are_stored_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị quyết.pdf")
    name = validate_upload(decomposed, make_pdf()).original_name
    assert name == unicodedata.normalize("NFC", "Nghị quyết.pdf")
    assert name != decomposed


# --- Uploads refused ---------------------------------------------------------------------------


def test_empty_file_is_refused() -> None:
    assert refusal("a.pdf", b"").code == "empty"
    assert refusal("a.pdf", io.BytesIO()).code == "empty"


def test_over_the_limit_is_refused_and_says_the_limit(settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 2 * MEGABYTE
    padded = make_pdf() + b"\n" * (2 * MEGABYTE)
    error = refusal("big.pdf", padded)
    assert error.code == "too_large"
    assert error.params == {"limit": "2"}
    assert "2 MB" in error.messages[0]
    # A stream is not read past the limit, an UploadedFile not at all.
    assert refusal("big.pdf", io.BytesIO(padded)).code == "too_large"
    assert refusal("big.pdf", SimpleUploadedFile("big.pdf", padded)).code == "too_large"
    settings.MAX_UPLOAD_BYTES = len(padded)
    assert validate_upload("big.pdf", padded).size == len(padded)


@pytest.mark.parametrize("name", ["setup.exe", "bao-cao.doc", "README", "anh.gif", "a.pdf.exe"])
def test_extension_not_allowed_is_refused(name: str) -> None:
    error = refusal(name, make_pdf())
    assert error.code == "extension"
    assert ".pdf" in error.messages[0]  # the message lists what is accepted


def test_allowed_narrows_the_kinds() -> None:
    assert refusal("anh.png", make_image("PNG"), allowed=("pdf",)).code == "extension"
    assert validate_upload("anh.png", make_image("PNG"), allowed=["png"]).kind == "png"
    with pytest.raises(ValueError, match="jpg"):
        validate_upload("anh.jpg", make_image("JPEG"), allowed=("jpg",))


def test_text_renamed_pdf_is_refused() -> None:
    error = refusal("nghi-quyet.pdf", "Nghị quyết số 01\n".encode() * 20)
    assert error.code == "content_mismatch"
    assert error.params == {"name": "nghi-quyet.pdf", "format": "PDF"}


@pytest.mark.parametrize(("name", "maker"), [("a.pdf", make_docx), ("a.docx", make_pdf), ("a.png", make_pdf)])
def test_other_format_under_a_wrong_extension_is_refused(name: str, maker: Any) -> None:
    assert refusal(name, maker()).code == "content_mismatch"


def test_client_content_type_is_ignored() -> None:
    upload = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert refusal("a.pdf", upload).code == "content_mismatch"


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_refused(keep: float) -> None:
    data = make_pdf(pages=2)
    assert refusal("cut.pdf", data[: int(len(data) * keep)]).code == "corrupt"


def test_pdf_with_only_a_header_is_refused() -> None:
    assert refusal("a.pdf", b"%PDF-1.7\n%%EOF\n").code == "corrupt"


def test_encrypted_pdf_is_refused() -> None:
    error = refusal("mat.pdf", make_encrypted_pdf())
    assert error.code == "encrypted"


def test_pdf_with_only_an_owner_password_is_refused_too() -> None:
    assert refusal("han-che.pdf", make_encrypted_pdf(user_password="")).code == "encrypted"


def test_zip_renamed_docx_is_refused() -> None:
    data = make_zip({"hello.txt": b"xin chao"})
    assert refusal("a.docx", data).code == "content_mismatch"


def test_zip_with_a_fake_document_xml_is_refused() -> None:
    data = make_zip({"word/document.xml": b"<not-word/>"})
    assert refusal("a.docx", data).code == "content_mismatch"


def test_truncated_docx_is_refused() -> None:
    data = make_docx()
    assert refusal("a.docx", data[: len(data) // 2]).code == "corrupt"


def test_docx_that_unpacks_to_far_more_than_the_limit_is_refused(settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = MEGABYTE
    document = io.BytesIO(make_docx())
    with zipfile.ZipFile(document, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\x00" * (11 * MEGABYTE))
    data = document.getvalue()
    assert len(data) < MEGABYTE
    assert refusal("bomb.docx", data).code == "corrupt"


@pytest.mark.parametrize(("name", "fmt"), [("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.tiff", "TIFF")])
@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_truncated_image_is_refused(name: str, fmt: str, keep: float) -> None:
    data = make_image(fmt, size=(300, 200), noise=True)
    assert validate_upload(name, data).pages == 1
    assert refusal(name, data[: int(len(data) * keep)]).code == "corrupt"


def test_png_with_a_bad_checksum_is_refused() -> None:
    data = bytearray(make_image("PNG"))
    data[40] ^= 0xFF  # inside the first data chunk after the header
    assert refusal("a.png", bytes(data)).code == "corrupt"


def test_image_under_another_image_extension_is_refused() -> None:
    assert refusal("a.jpg", make_image("PNG")).code == "content_mismatch"
    assert refusal("a.tiff", make_image("JPEG")).code == "content_mismatch"


# --- Storage -----------------------------------------------------------------------------------


@pytest.fixture
def storage_dir(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.MASTER_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    return tmp_path


def on_disk(storage_dir: Path, stored: StoredFile) -> Path:
    return storage_dir / stored.path


def test_encrypted_file_is_unreadable_on_disk_and_round_trips(storage_dir: Path) -> None:
    plaintext = make_docx("Tuyệt mật: kế hoạch nhân sự " * 50)
    stored = store_file(plaintext, encrypt=True)
    raw = on_disk(storage_dir, stored).read_bytes()
    assert raw != plaintext
    assert plaintext not in raw
    assert b"word/document.xml" not in raw
    assert len(raw) == len(plaintext) + 16  # the GCM tag
    assert stored.encrypted
    assert len(base64.b64decode(stored.wrapped_key)) == 40  # a 32-byte key wrapped (RFC 3394)
    assert len(base64.b64decode(stored.nonce)) == 12
    assert stored.sha256 == sha256_hex(plaintext)
    assert stored.size == len(plaintext)
    assert read_file(stored) == plaintext


def test_stored_path_is_dated_and_random(storage_dir: Path) -> None:
    stored = store_file(b"abc", encrypt=False)
    prefix, year, month, name = stored.path.split("/")
    assert prefix == "attachments"
    assert len(year) == 4 and len(month) == 2
    assert len(name) == 32 and int(name, 16) >= 0


def test_same_content_twice_gets_two_paths_and_two_keys(storage_dir: Path) -> None:
    first = store_file(b"same content", encrypt=True)
    second = store_file(b"same content", encrypt=True)
    assert first.path != second.path
    assert first.sha256 == second.sha256
    assert (first.wrapped_key, first.nonce) != (second.wrapped_key, second.nonce)
    assert on_disk(storage_dir, first).read_bytes() != on_disk(storage_dir, second).read_bytes()
    plain = [store_file(b"same content", encrypt=False).path for _ in range(2)]
    assert plain[0] != plain[1]


def test_tampered_ciphertext_fails(storage_dir: Path) -> None:
    stored = store_file(make_pdf(), encrypt=True)
    path = on_disk(storage_dir, stored)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(FileIntegrityError) as caught:
        read_file(stored)
    assert caught.value.path == stored.path
    assert stored.path in str(caught.value)


def test_ciphertext_moved_to_another_path_fails(storage_dir: Path) -> None:
    stored = store_file(make_pdf(), encrypt=True)
    moved = StoredFile(**{**stored.__dict__, "path": "attachments/2000/01/" + "0" * 32})
    target = on_disk(storage_dir, moved)
    target.parent.mkdir(parents=True)
    target.write_bytes(on_disk(storage_dir, stored).read_bytes())
    with pytest.raises(FileIntegrityError):
        read_file(moved)


def test_swapped_keys_fail(storage_dir: Path) -> None:
    first = store_file(b"first secret", encrypt=True)
    second = store_file(b"second secret", encrypt=True)
    mixed = StoredFile(**{**first.__dict__, "wrapped_key": second.wrapped_key})
    with pytest.raises(FileIntegrityError):
        read_file(mixed)


def test_wrong_master_key_fails(storage_dir: Path, settings: Any) -> None:
    stored = store_file(b"secret minutes", encrypt=True)
    settings.MASTER_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
    with pytest.raises(FileIntegrityError, match="attachments/") as caught:
        read_file(stored)
    assert caught.value.path == stored.path


def test_errors_never_show_the_content(storage_dir: Path) -> None:
    secret = b"SECRET-CONTENT-42"
    stored = store_file(secret, encrypt=False)
    on_disk(storage_dir, stored).write_bytes(b"SECRET-CONTENT-43")
    with pytest.raises(FileIntegrityError) as caught:
        read_file(stored)
    assert "SECRET" not in str(caught.value)
    assert "SECRET" not in repr(caught.value.args)


def test_unencrypted_file_is_stored_as_is_and_round_trips(storage_dir: Path) -> None:
    data = make_image("PNG")
    stored = store_file(data, encrypt=False)
    assert on_disk(storage_dir, stored).read_bytes() == data
    assert (stored.encrypted, stored.wrapped_key, stored.nonce) == (False, "", "")
    assert stored.sha256 == sha256_hex(data)
    assert read_file(stored) == data


def test_tampered_unencrypted_file_fails(storage_dir: Path) -> None:
    stored = store_file(b"quyet dinh", encrypt=False)
    on_disk(storage_dir, stored).write_bytes(b"quyet dinX")
    with pytest.raises(FileIntegrityError):
        read_file(stored)


def test_record_marked_encrypted_without_a_key_fails(storage_dir: Path) -> None:
    stored = store_file(b"plain", encrypt=False)
    with pytest.raises(FileIntegrityError):
        read_file(StoredFile(**{**stored.__dict__, "encrypted": True}))


def test_invalid_master_key_is_a_configuration_error(storage_dir: Path, settings: Any) -> None:
    settings.MASTER_KEY = base64.urlsafe_b64encode(os.urandom(16)).decode()
    with pytest.raises(ImproperlyConfigured):
        store_file(b"x", encrypt=True)
    settings.MASTER_KEY = "not base64 at all!"
    with pytest.raises(ImproperlyConfigured):
        store_file(b"x", encrypt=True)
    assert not any(path.is_file() for path in storage_dir.rglob("*"))  # nothing written


def test_delete_file(storage_dir: Path) -> None:
    stored = store_file(b"to be removed", encrypt=True)
    assert on_disk(storage_dir, stored).exists()
    delete_file(stored.path)
    assert not on_disk(storage_dir, stored).exists()
    delete_file(stored.path)  # already gone: no error
    with pytest.raises(FileNotFoundError):
        read_file(stored)


def test_sha256_hex() -> None:
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# --- The master key setting --------------------------------------------------------------------


def test_master_key_is_generated_once_with_mode_0600(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings_module, "DATA_DIR", tmp_path)
    monkeypatch.delenv("VANPHONG_MASTER_KEY", raising=False)
    made = iter(["first", "second"])

    def master_key() -> str:
        return settings_module._generated_secret("master_key", "VANPHONG_MASTER_KEY", lambda: next(made))

    assert master_key() == "first"
    assert (tmp_path / "master_key").stat().st_mode & 0o777 == 0o600
    assert master_key() == "first"
    monkeypatch.setenv("VANPHONG_MASTER_KEY", "from-the-environment")
    assert master_key() == "from-the-environment"


def test_generated_master_key_is_32_bytes_of_base64url() -> None:
    assert len(base64.urlsafe_b64decode(settings_module.MASTER_KEY)) == 32
