"""OCR of scans: Tesseract's Vietnamese model through OCRmyPDF, producing a searchable PDF/A.

`ocr_status()` says whether this server can run OCR and, when not, why (in the user's language).
`ocr_file(kind, data)` reads a scanned PDF or an image and returns the searchable PDF/A with the
text of each page. The queue and the worker that use it are in `search.tasks`.

Needs the Debian packages `tesseract-ocr tesseract-ocr-vie ghostscript` and the Python package
`ocrmypdf` (with img2pdf, pikepdf and pypdfium2). OCRmyPDF runs in a child process: a job that
exceeds `settings.OCR_TIMEOUT` is killed with everything it started, and a crash of Tesseract or
Ghostscript cannot take the web server down. The child works in a private folder under
`DATA_DIR/tmp/ocr` (mode 0700) that is removed afterwards, since page images of secret documents
pass through it; folders left by a killed process are removed when a worker starts.

Mode: `--skip-text` keeps pages that already carry text and reads the others. Ghostscript 10.0.0
to 10.02.0 (Debian 12 ships 10.0.0) corrupts PDFs with existing text, so OCRmyPDF refuses
`--skip-text` with it; there `--force-ocr` is used instead, which rasterises every page. The
files queued for OCR are scans (under 40 characters a page), so little is lost, and the original
is always kept. OCRmyPDF makes the PDF/A itself (pikepdf) when it can and falls back to Ghostscript.
"""

from __future__ import annotations

import importlib
import io
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from vanphong.core.extract import PAGE_BREAK, extract
from vanphong.documents.models import TextSource

log = logging.getLogger(__name__)

LANGUAGES = ("vie", "eng")  # Vietnamese first; English for the Latin words in official texts
IMAGE_DPI = 300  # an image without a plausible resolution is taken as a 300-dpi scan
_PLAUSIBLE_DPI = (100, 2400)
_STATUS_TTL = 60.0  # seconds a detection result is reused (installing a package is seen within a minute)
_POLL = 0.2
# Ghostscript versions that corrupt PDFs with existing text (OCRmyPDF refuses --skip-text with them).
_GS_TEXT_REGRESSION = ((10, 0, 0), (10, 2, 1))
# OCRmyPDF's exit codes (ocrmypdf.exceptions.ExitCode).
_EXIT_OK = 0
_EXIT_MISSING_DEPENDENCY = 3
_EXIT_PDFA_FAILED = 10  # the output is a valid PDF, not PDF/A
_EXIT_CTRL_C = 130


class OcrUnavailable(Exception):
    """This server cannot run OCR now (a program or model is missing); the file should wait."""


class OcrError(Exception):
    """OCR failed for this file (damaged, too slow ...); the message is for the user."""


class OcrStopped(Exception):
    """The worker was asked to stop while OCR was running; the file should wait."""


@dataclass(frozen=True)
class OcrResult:
    pdf_a: bytes
    pages: list[str]
    pdfa: bool = True  # False when only a plain (searchable) PDF could be made

    @property
    def text(self) -> str:
        return PAGE_BREAK.join(self.pages)


# --- What this server has ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Tools:
    problem: str = ""  # "", "tesseract", "vie", "ghostscript", "ocrmypdf"
    detail: str = ""
    languages: tuple[str, ...] = ()
    skip_text: bool = True  # False with a Ghostscript that corrupts existing text


_cache: dict[tuple[str | None, str | None], tuple[float, _Tools]] = {}
_cache_lock = threading.Lock()


def _ghostscript() -> str | None:
    return shutil.which("gs") or shutil.which("gswin64c") or shutil.which("gswin32c")


def _run(command: list[str]) -> str:
    completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    return completed.stdout + completed.stderr


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.strip().split(".")[:3]:
        digits = "".join(char for char in part if char.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _detect(tesseract: str | None, gs: str | None) -> _Tools:
    if tesseract is None:
        return _Tools("tesseract")
    try:
        listed = {line.strip() for line in _run([tesseract, "--list-langs"]).splitlines()}
    except (OSError, subprocess.SubprocessError) as exc:
        return _Tools("tesseract", str(exc))
    if "vie" not in listed:
        return _Tools("vie")
    if gs is None:
        return _Tools("ghostscript")
    try:
        gs_version = _version(_run([gs, "--version"]))
    except (OSError, subprocess.SubprocessError) as exc:
        return _Tools("ghostscript", str(exc))
    try:
        importlib.import_module("ocrmypdf")
    except Exception as exc:  # ImportError, or a broken binary dependency (pikepdf ...)
        return _Tools("ocrmypdf", f"{type(exc).__name__}: {exc}")
    low, high = _GS_TEXT_REGRESSION
    return _Tools(
        languages=tuple(language for language in LANGUAGES if language in listed),
        skip_text=not (low <= gs_version < high),
    )


def _tools() -> _Tools:
    # The programs are looked up every time (cheap); what running them tells is kept a minute.
    key = (shutil.which("tesseract"), _ghostscript())
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and now - cached[0] < _STATUS_TTL:
        return cached[1]
    tools = _detect(*key)
    with _cache_lock:
        _cache[key] = (now, tools)
    return tools


def _reason(tools: _Tools) -> str:
    if tools.problem == "tesseract":
        return _("Tesseract OCR is not installed on this server (Debian package tesseract-ocr).")
    if tools.problem == "vie":
        return _(
            "Tesseract's Vietnamese model is not installed on this server (Debian package tesseract-ocr-vie)."
        )
    if tools.problem == "ghostscript":
        return _("Ghostscript is not installed on this server (Debian package ghostscript).")
    if tools.problem == "ocrmypdf":
        return _("The OCRmyPDF library cannot be loaded: %(error)s") % {"error": tools.detail}
    return ""


def ocr_status() -> tuple[bool, str]:
    """(True, "") when this server can run OCR; otherwise (False, why, in the user's language)."""
    tools = _tools()
    return (not tools.problem, _reason(tools))


def page_context(attachments: Iterable[Any]) -> dict[str, Any]:
    """For a page listing attachments: whether OCR runs here and why not. The programs are only
    asked about when a listed file waits for OCR."""
    waiting = any(attachment.text_source == TextSource.OCR_PENDING for attachment in attachments)
    available, reason = ocr_status() if waiting else (True, "")
    return {"available": available, "reason": reason}


# --- Running OCR -------------------------------------------------------------------------------


def _layout(width_px: int, height_px: int, dpi: tuple[float, float]) -> tuple[float, float, float, float]:
    """img2pdf layout: the page is the image at its resolution; 72 or 96 dpi (cameras, screenshots,
    a missing value) is not a scan's resolution, so such images are placed as 300-dpi scans."""
    x_dpi, y_dpi = dpi
    low, high = _PLAUSIBLE_DPI
    if not (low <= x_dpi <= high and low <= y_dpi <= high):
        x_dpi = y_dpi = IMAGE_DPI
    width, height = width_px * 72 / x_dpi, height_px * 72 / y_dpi
    return width, height, width, height


def image_to_pdf(data: bytes) -> bytes:
    """A PDF with one page per frame of the image, without re-encoding where img2pdf can."""
    import img2pdf
    from PIL import Image, ImageSequence

    try:
        return bytes(img2pdf.convert(data, layout_fun=_layout, rotation=img2pdf.Rotation.ifvalid))
    except Exception:  # an alpha channel, a palette or mode img2pdf refuses: flatten with Pillow
        log.debug("img2pdf refused the image; converting with Pillow", exc_info=True)
    frames = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                converted = frame.convert("RGBA")
                flat = Image.new("RGB", converted.size, "white")
                flat.paste(converted, mask=converted.getchannel("A"))
                buffer = io.BytesIO()
                flat.save(buffer, "PNG", dpi=frame.info.get("dpi", (IMAGE_DPI, IMAGE_DPI)))
                frames.append(buffer.getvalue())
        return bytes(img2pdf.convert(frames, layout_fun=_layout))
    except Exception as exc:
        raise OcrError(_("The image cannot be prepared for OCR: %(error)s") % {"error": exc}) from exc


def work_root() -> Path:
    return Path(settings.DATA_DIR) / "tmp" / "ocr"


def remove_stale_work_folders(older_than: float) -> int:
    """Remove work folders left by OCR processes that were killed (seconds since last change)."""
    root = work_root()
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        try:
            if time.time() - folder.stat().st_mtime > older_than:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)  # OCRmyPDF and the Tesseract/Ghostscript it started
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _last_line(path: Path) -> str:
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][:500] if lines else ""


def ocr_file(
    kind: str,
    data: bytes,
    *,
    timeout: float | None = None,
    stop: threading.Event | None = None,
) -> OcrResult:
    """OCR a scanned PDF or an image (a kind of core.files) into a searchable PDF/A and its text.

    Raises OcrUnavailable when the programs are missing, OcrStopped when `stop` is set meanwhile,
    and OcrError when this file cannot be read or takes longer than `timeout` seconds
    (`settings.OCR_TIMEOUT` by default).
    """
    tools = _tools()
    if tools.problem:
        raise OcrUnavailable(_reason(tools))
    if kind not in ("pdf", "png", "jpeg", "tiff"):
        raise OcrError(_("Files of this kind are not read by OCR."))
    pdf = data if kind == "pdf" else image_to_pdf(data)
    limit = float(settings.OCR_TIMEOUT if timeout is None else timeout)
    root = work_root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="job-", dir=root) as folder:  # created with mode 0700
        work = Path(folder)
        source, target, errors = work / "in.pdf", work / "out.pdf", work / "errors.txt"
        source.write_bytes(pdf)
        command = [
            sys.executable,
            "-m",
            "ocrmypdf",
            "--language",
            "+".join(tools.languages),
            "--output-type",
            "pdfa",
            "--jobs",
            str(max(1, settings.OCR_JOBS)),
            "--skip-text" if tools.skip_text else "--force-ocr",
            "--tesseract-timeout",
            str(int(limit)),
            "--quiet",
            str(source),
            str(target),
        ]
        env = {**os.environ, "TMPDIR": folder, "TEMP": folder, "TMP": folder}
        with errors.open("wb") as stderr:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=env,
                start_new_session=os.name == "posix",
            )
            deadline = time.monotonic() + limit
            while True:
                try:
                    code = process.wait(timeout=_POLL)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if stop is not None and stop.is_set():
                    _kill(process)
                    raise OcrStopped()
                if time.monotonic() > deadline:
                    _kill(process)
                    raise OcrError(
                        _("OCR did not finish within %(seconds)s seconds.") % {"seconds": int(limit)}
                    )
        detail = _last_line(errors)
        if code == _EXIT_MISSING_DEPENDENCY:
            raise OcrUnavailable(detail)
        if code == _EXIT_CTRL_C:
            raise OcrStopped()
        if code not in (_EXIT_OK, _EXIT_PDFA_FAILED) or not target.is_file():
            raise OcrError(
                _("OCRmyPDF could not read the file (code %(code)s): %(detail)s")
                % {"code": code, "detail": detail}
            )
        output = target.read_bytes()
    try:
        pages = extract("pdf", output).pages
    except Exception as exc:  # pypdf on a file OCRmyPDF wrote: unexpected
        raise OcrError(_("The OCR result cannot be read: %(error)s") % {"error": exc}) from exc
    return OcrResult(output, pages, pdfa=code == _EXIT_OK)
