"""Checks for attached files (agenda documents, task evidence): size and real type, in Vietnamese.

The extension must be one we expect *and* the first bytes must match it, so a renamed executable is refused.
"""

from __future__ import annotations

import io
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

#: extension → accepted leading bytes
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG",),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_attachment(upload: IO[bytes], *, field: str) -> None:
    """Raise :class:`ValidationError` keyed by ``field`` unless the file is an allowed document or photo."""
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(sorted(SIGNATURES))
    if ext not in SIGNATURES:
        raise ValidationError({field: f"Chỉ nhận tệp có đuôi: {allowed}."})
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    limit = max_bytes()
    if int(size) > limit:
        raise ValidationError({field: f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB."})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise ValidationError({field: f"Nội dung tệp không đúng định dạng .{ext}."})
