"""What an upload must be to enter the library, judged by its content, not its name."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from PIL import Image as PILImage
from PIL import UnidentifiedImageError, features

# Pillow names of the formats accepted; AVIF only where this Pillow can read it.
FORMATS = ("JPEG", "PNG", "WEBP", "GIF") + (
    ("AVIF",) if features.check_module("avif") else ()
)
_NAMES = [name.replace("WEBP", "WebP") for name in FORMATS]
FORMAT_NAMES = ", ".join(_NAMES[:-1]) + " or " + _NAMES[-1]
# An SVG names itself in its first bytes: after an XML declaration, a comment
# or a doctype, an <svg element; nothing else that Pillow reads starts with "<".
_SVG_SNIFF_BYTES = 4096


class MediaRefused(Exception):
    """An upload the library does not take; the message says why, for the uploader.

    field names the form field at fault: "file", "alt" or "credit".
    """

    def __init__(self, message: str, *, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def max_bytes() -> int:
    return int(settings.BROADSHEET_MEDIA_MAX_MB * 1024 * 1024)


def max_pixels() -> int:
    return int(settings.BROADSHEET_MEDIA_MAX_MEGAPIXELS * 1_000_000)


def read_limited(file, name: str) -> bytes:
    """Read the upload, refusing it once it passes the byte limit."""
    limit = max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise MediaRefused(_too_large(name, size))
    if hasattr(file, "seek"):
        file.seek(0)  # a form or a sniffing caller may have read some of it
    data = file.read(limit + 1)
    if len(data) > limit:
        raise MediaRefused(_too_large(name, len(data)))
    if not data:
        raise MediaRefused(f"{name} is empty.")
    return data


def _too_large(name: str, size: int) -> str:
    mb = size / (1024 * 1024)
    return (
        f"{name} is {mb:.1f} MB; images may be at most "
        f"{settings.BROADSHEET_MEDIA_MAX_MB:g} MB (BROADSHEET_MEDIA_MAX_MB)."
    )


def is_svg(data: bytes) -> bool:
    """Whether data is SVG (or other XML naming an svg root), with or without script."""
    head = data[:_SVG_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def open_image(data: bytes, name: str) -> PILImage.Image:
    """Open, verify and fully load data as an image of an accepted format.

    Raises MediaRefused naming the problem: SVG, not an image, too many pixels,
    damaged or truncated data.
    """
    if is_svg(data):
        raise MediaRefused(
            f"SVG is not accepted ({name}): an SVG file can carry scripts. "
            f"Upload it as {FORMAT_NAMES}."
        )
    with warnings.catch_warnings():
        # The pixel limit is checked below from the header, before any decoding;
        # Pillow's own bomb check stays on as the backstop.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        image = _open(data, name)
        _check_pixels(image, name)
        try:
            image.verify()
            image = _open(data, name)
            _load_every_frame(image)
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise MediaRefused(
                f"{name} is damaged or truncated: its image data is incomplete "
                f"({error}). Export it again and upload the new file."
            ) from error
    return image


def _open(data: bytes, name: str) -> PILImage.Image:
    try:
        return PILImage.open(io.BytesIO(data), formats=FORMATS)
    except PILImage.DecompressionBombError as error:
        raise MediaRefused(_too_many_pixels(name, None)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise MediaRefused(
            f"{name} is not an image: its content is not {FORMAT_NAMES}, "
            "whatever its name says."
        ) from error


def _check_pixels(image: PILImage.Image, name: str) -> None:
    width, height = image.size
    frames = getattr(image, "n_frames", 1)
    if width * height * frames > max_pixels():
        raise MediaRefused(_too_many_pixels(name, (width, height, frames)))


def _too_many_pixels(name: str, size: tuple[int, int, int] | None) -> str:
    limit = settings.BROADSHEET_MEDIA_MAX_MEGAPIXELS
    if size is None:
        shape = "has too many pixels"
    else:
        width, height, frames = size
        megapixels = width * height * frames / 1_000_000
        across = f" in {frames} frames" if frames > 1 else ""
        shape = f"is {width}×{height} pixels{across} ({megapixels:.1f} megapixels)"
    return (
        f"{name} {shape}; images may have at most {limit:g} megapixels "
        "(BROADSHEET_MEDIA_MAX_MEGAPIXELS). Scale it down and upload it again."
    )


def _load_every_frame(image: PILImage.Image) -> None:
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        image.load()
    image.seek(0)
