"""Uploaded photos: check the real type, straighten, shrink, and re-encode as JPEG without metadata.

Re-encoding is the point: whatever the file carried (EXIF with GPS position, comments, a polyglot payload)
does not survive, and every stored photo is a plain JPEG no larger than ``IMAGE_MAX_SIDE`` on its longest side.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
#: Refuse absurd canvases before decoding them (decompression bombs): 50 megapixels is far above any camera.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85


@dataclass(frozen=True)
class ProcessedImage:
    name: str
    content: ContentFile
    width: int
    height: int


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return int(size)


def process_upload(upload: IO[bytes], *, field: str = "image") -> ProcessedImage:
    """The upload as a clean JPEG, or :class:`ValidationError` (keyed by ``field``) in Vietnamese."""
    limit = settings.IMAGE_MAX_BYTES
    if _size_of(upload) > limit:
        raise ValidationError({field: f"Ảnh quá lớn: tối đa {limit // (1024 * 1024)} MB."})
    not_an_image = ValidationError({field: "Tệp này không phải ảnh JPEG, PNG hoặc WebP hợp lệ."})
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError({field: "Ảnh có kích thước điểm ảnh quá lớn."})
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise not_an_image from exc

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, (255, 255, 255))
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        image = flattened
    elif image.mode != "RGB":
        image = image.convert("RGB")

    side = settings.IMAGE_MAX_SIDE
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, icc_profile= or comment= arguments: the new file carries pixels only.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    name = f"{uuid.uuid4().hex}.jpg"
    return ProcessedImage(name=name, content=ContentFile(out.getvalue(), name=name), width=image.width,
                          height=image.height)
