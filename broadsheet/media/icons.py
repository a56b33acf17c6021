"""Square PNG and ICO renditions of an image, for the site's favicon and app icons.

Made on request from the original (the page cache keeps the result until the site
settings change), not at upload: only the one image chosen as the site icon ever
needs them, and any library image may become it. Pillow, already used for the
renditions, does the work; no SVG rasteriser is needed because the shipped
default icon is a PNG drawn from web/static/web/favicon.svg.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from PIL import Image as PILImage
from PIL import ImageOps

ICO_SIZES = ((16, 16), (32, 32), (48, 48))


def _square(
    source: BinaryIO | str, size: int, background: str | None
) -> PILImage.Image:
    """The image centred on a transparent (or `background`) square of `size` px:
    a wide logo keeps its whole width instead of losing its ends to a crop."""
    with PILImage.open(source) as opened:
        opened.seek(0)  # an animated GIF's first frame
        image = ImageOps.exif_transpose(opened).convert("RGBA")
    image.thumbnail((size, size), PILImage.Resampling.LANCZOS)
    canvas = PILImage.new("RGBA", (size, size), background or (0, 0, 0, 0))
    offset = ((size - image.width) // 2, (size - image.height) // 2)
    canvas.alpha_composite(image, offset)
    return canvas.convert("RGB") if background else canvas


def square_png(
    source: BinaryIO | str, size: int, *, background: str | None = None
) -> bytes:
    """A `size`-pixel square PNG of `source` (a file or path); opaque on
    `background` when given (Apple's touch icons show transparency as black)."""
    buffer = io.BytesIO()
    _square(source, size, background).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def favicon_ico(source: BinaryIO | str) -> bytes:
    """An ICO holding 16, 32 and 48 pixel squares of `source`."""
    buffer = io.BytesIO()
    _square(source, 48, None).save(buffer, format="ICO", sizes=list(ICO_SIZES))
    return buffer.getvalue()
