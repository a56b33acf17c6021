"""Acts on the image library: storing an upload with renditions, editing its text."""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageOps, features

from broadsheet.media.checks import MediaRefused, open_image, read_limited
from broadsheet.media.models import RENDITION_WIDTHS, Image

__all__ = ["MediaRefused", "rendition_widths", "store_upload", "update_image"]

# Originals are re-encoded to drop their metadata (EXIF with GPS, XMP, comments);
# these qualities keep the re-encoding visually lossless.
_ORIGINAL_OPTIONS = {
    "JPEG": {"quality": 92, "optimize": True},
    "PNG": {},
    "WEBP": {"quality": 90},
    "GIF": {},
    "AVIF": {"quality": 85},
}
# Metadata that describes the pixels themselves survives; everything else goes.
_KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background")
_EXTENSIONS = {
    "JPEG": "jpg",
    "PNG": "png",
    "WEBP": "webp",
    "GIF": "gif",
    "AVIF": "avif",
}
_RENDITION_FORMAT = "WEBP" if features.check_module("webp") else None
_MAX_ALT = Image._meta.get_field("alt").max_length
_MAX_CREDIT = Image._meta.get_field("credit").max_length


def rendition_widths(width: int) -> list[int]:
    """The rendition widths for an original `width` pixels wide, narrowest first.

    Never wider than the original: the standard widths below it, and the
    original's own width when it is narrower than the widest standard one.
    """
    widths = [w for w in RENDITION_WIDTHS if w < width]
    if width <= RENDITION_WIDTHS[-1]:
        widths.append(width)
    return widths


@dataclass(frozen=True)
class _Prepared:
    format: str
    width: int
    height: int
    original: bytes
    renditions: list[tuple[int, int, str, bytes]]  # width, height, extension, data


def store_upload(file, *, alt: str, credit: str = "", user=None) -> Image:
    """Check an uploaded image, store it stripped of metadata with its renditions.

    Raises MediaRefused with the reason when the upload is not taken; then no
    file is left in MEDIA_ROOT and no row is written.
    """
    name = os.path.basename(getattr(file, "name", "") or "") or "The upload"
    alt, credit = _checked_text(alt, credit)
    data = read_limited(file, name)
    prepared = _prepare(open_image(data, name))
    directory = f"images/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        with transaction.atomic():
            original = _save(
                f"{directory}/original.{_EXTENSIONS[prepared.format]}",
                prepared.original,
                written,
            )
            renditions = [
                {
                    "width": width,
                    "height": height,
                    "file": _save(f"{directory}/w{width}.{ext}", content, written),
                    "bytes": len(content),
                }
                for width, height, ext, content in prepared.renditions
            ]
            return Image.objects.create(
                file=original,
                width=prepared.width,
                height=prepared.height,
                format=prepared.format,
                bytes=len(prepared.original),
                alt=alt,
                credit=credit,
                renditions=renditions,
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
    except BaseException:
        for path in written:
            default_storage.delete(path)
        raise


@transaction.atomic
def update_image(image: Image, *, alt: str, credit: str = "") -> Image:
    """Change an image's alt text and credit line; raises MediaRefused when invalid."""
    image.alt, image.credit = _checked_text(alt, credit)
    image.save(update_fields=["alt", "credit"])
    return image


def _checked_text(alt: str, credit: str) -> tuple[str, str]:
    alt, credit = " ".join((alt or "").split()), " ".join((credit or "").split())
    if not alt:
        raise MediaRefused(
            "Alt text is required: describe what the image shows for readers "
            "who cannot see it.",
            field="alt",
        )
    if len(alt) > _MAX_ALT:
        raise MediaRefused(
            f"The alt text is {len(alt)} characters; at most {_MAX_ALT} are kept. "
            "Describe the image more briefly.",
            field="alt",
        )
    if len(credit) > _MAX_CREDIT:
        raise MediaRefused(
            f"The credit is {len(credit)} characters; at most {_MAX_CREDIT} are kept.",
            field="credit",
        )
    return alt, credit


def _save(path: str, content: bytes, written: list[str]) -> str:
    stored = default_storage.save(path, ContentFile(content))
    written.append(stored)
    return stored


def _prepare(image: PILImage.Image) -> _Prepared:
    fmt = image.format
    if getattr(image, "is_animated", False):
        # Frames keep their own orientation; only the metadata goes.
        image.info = {k: v for k, v in image.info.items() if k in _KEPT_INFO}
        original = _encode(image, fmt, save_all=True)
        still = image.copy()
    else:
        still = ImageOps.exif_transpose(image)
        still.info = {k: v for k, v in image.info.items() if k in _KEPT_INFO}
        original = _encode(still, fmt)
    width, height = still.size
    return _Prepared(
        fmt, width, height, original, list(_renditions(still, fmt, width, height))
    )


def _encode(image: PILImage.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    extra = {**_ORIGINAL_OPTIONS[fmt], **options}
    if "icc_profile" in image.info:
        extra["icc_profile"] = image.info["icc_profile"]
    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.save(buffer, format=fmt, **extra)
    return buffer.getvalue()


def _renditions(still: PILImage.Image, fmt: str, width: int, height: int):
    target = _RENDITION_FORMAT or ("PNG" if fmt == "GIF" else fmt)
    has_alpha = still.mode in ("RGBA", "LA", "PA") or "transparency" in still.info
    if target == "JPEG":
        has_alpha = False
    base = still.convert("RGBA" if has_alpha else "RGB")
    for rendition_width in rendition_widths(width):
        rendition_height = max(1, round(height * rendition_width / width))
        resized = (
            base
            if rendition_width == width
            else base.resize(
                (rendition_width, rendition_height), PILImage.Resampling.LANCZOS
            )
        )
        buffer = io.BytesIO()
        options = {"quality": 82} if target in ("WEBP", "JPEG", "AVIF") else {}
        if "icc_profile" in still.info:
            options["icc_profile"] = still.info["icc_profile"]
        resized.save(buffer, format=target, **options)
        yield rendition_width, rendition_height, _EXTENSIONS[target], buffer.getvalue()
