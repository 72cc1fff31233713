"""PDF copies of .docx files through LibreOffice in headless mode (the only converter that keeps the layout).

LibreOffice is a system package (Debian: ``libreoffice-writer-nogui``), not a Python dependency; callers
check :func:`pdf_available` to offer the PDF link, and :func:`convert_to_pdf` raises :class:`PdfUnavailable`
with a message for the user when it is missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

#: Seconds a conversion may take; the first run of a fresh profile is the slow one (a few seconds).
TIMEOUT_SECONDS = 120
NOT_INSTALLED = "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản .docx."
FAILED = "Không chuyển được văn bản sang PDF; hãy tải bản .docx."


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed on this server."""

    def __init__(self, message: str = NOT_INSTALLED) -> None:
        super().__init__(message)


class PdfConversionError(RuntimeError):
    """LibreOffice ran but produced no PDF (or took too long)."""

    def __init__(self, message: str = FAILED, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def _soffice() -> str | None:
    configured = os.environ.get("MATTRAN_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Is LibreOffice installed, so that :func:`convert_to_pdf` can work?"""
    return _soffice() is not None


def convert_to_pdf(docx: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF rendering of ``docx``. Each call uses its own LibreOffice profile directory, so parallel
    conversions (several workers, several test processes) do not fight over one profile lock."""
    binary = _soffice()
    if binary is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="mattran-pdf-") as tmp:
        work = Path(tmp)
        source = work / "van-ban.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", str(work / "out"), str(source),
        ]
        env = {**os.environ, "HOME": str(work)}  # LibreOffice writes a few files under HOME even so
        # A session of its own, so that on timeout the whole group (oosplash and soffice.bin) is stopped.
        process = subprocess.Popen(  # noqa: S603 — fixed argument list, no shell
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work, start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(detail=f"timed out after {timeout}s") from exc
        output = work / "out" / "van-ban.pdf"
        if process.returncode != 0 or not output.exists():
            detail = (stderr or stdout).decode(errors="replace")[-2000:]
            raise PdfConversionError(detail=f"exit {process.returncode}: {detail}")
        return output.read_bytes()
