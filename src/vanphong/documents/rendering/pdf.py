"""DOCX to PDF through LibreOffice (`soffice --headless`), where it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from vanphong.documents.rendering.layout import RenderingError

_SOFFICE_NAMES = ("soffice", "libreoffice")


class RenderingUnavailable(RenderingError):
    """A tool the rendering needs (LibreOffice for PDF) is not installed."""


def _soffice() -> str | None:
    for name in _SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def pdf_available() -> bool:
    """True when LibreOffice (soffice) is installed, so `render_pdf` can work."""
    return _soffice() is not None


def render_pdf(docx: bytes, timeout: float = 120) -> bytes:
    """Convert DOCX bytes to PDF bytes with LibreOffice headless."""
    soffice = _soffice()
    if soffice is None:
        raise RenderingUnavailable(
            "PDF rendering needs LibreOffice: 'soffice' was not found on PATH. Install it "
            "(Debian: apt-get install --no-install-recommends libreoffice-writer-nogui "
            "fonts-liberation2) or hand out the DOCX instead."
        )
    with tempfile.TemporaryDirectory(prefix="vanphong-pdf-") as workdir:
        work = Path(workdir)
        source = work / "document.docx"
        source.write_bytes(docx)
        # A private profile per call: concurrent conversions do not fight over one profile lock.
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        env = dict(os.environ, HOME=str(work))
        try:
            completed = subprocess.run(
                command, capture_output=True, timeout=timeout, env=env, cwd=work, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderingError(f"LibreOffice did not finish the PDF within {timeout:g} s") from exc
        target = work / "document.pdf"
        if completed.returncode != 0 or not target.exists():
            detail = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()
            raise RenderingError(f"LibreOffice could not convert the document to PDF: {detail[:500]}")
        return target.read_bytes()
