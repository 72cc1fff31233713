from __future__ import annotations

from pathlib import Path

import pytest

from mattran.documents import pdf
from mattran.documents.official import render_docx
from mattran.documents.tests.test_official import sample

needs_libreoffice = pytest.mark.skipif(
    not pdf.pdf_available(), reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
)


@needs_libreoffice
def test_docx_converts_to_pdf() -> None:
    data = pdf.convert_to_pdf(render_docx(sample()))
    assert data.startswith(b"%PDF")
    assert b"/Type /Page" in data or b"/Type/Page" in data


def test_missing_libreoffice_gives_a_vietnamese_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MATTRAN_SOFFICE", str(tmp_path / "khong-co-soffice"))
    assert not pdf.pdf_available()
    with pytest.raises(pdf.PdfUnavailable) as caught:
        pdf.convert_to_pdf(b"PK")
    assert str(caught.value) == "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản .docx."


def test_a_converter_that_fails_raises_a_conversion_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'loi' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("MATTRAN_SOFFICE", str(fake))
    with pytest.raises(pdf.PdfConversionError) as caught:
        pdf.convert_to_pdf(b"PK")
    assert "exit 3" in caught.value.detail
    assert "PDF" in str(caught.value)


def test_a_converter_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30 &\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("MATTRAN_SOFFICE", str(fake))
    with pytest.raises(pdf.PdfConversionError) as caught:
        pdf.convert_to_pdf(b"PK", timeout=0.5)
    assert "timed out" in caught.value.detail
