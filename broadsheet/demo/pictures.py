"""The demo's pictures: abstract prints drawn with Pillow, so the fronts show images.

No photograph is shipped or fetched: each picture is a seeded composition of flat
shapes (discs, rules, a halftone field) in two inks on a paper tone, and its alt
text says exactly that. They go through the media library's own upload path.
"""

from __future__ import annotations

import io
import random

from PIL import Image as PILImage
from PIL import ImageDraw

from broadsheet.media.models import Image
from broadsheet.media.services import store_upload

SIZE = (1200, 750)  # renditions of 480 and 960 px wide, plus the original size
# (paper, first ink, second ink, how the alt text names the inks)
PALETTES = [
    ((244, 236, 220), (138, 43, 14), (196, 146, 52), "rust and ochre"),
    ((236, 240, 236), (32, 70, 88), (120, 160, 150), "slate blue and sea green"),
    ((247, 241, 230), (40, 36, 32), (188, 64, 40), "black and vermilion"),
    ((238, 232, 244), (72, 52, 110), (214, 170, 80), "violet and gold"),
    ((242, 238, 226), (70, 96, 52), (160, 112, 70), "moss green and umber"),
    ((230, 236, 242), (30, 48, 96), (200, 90, 70), "navy and coral"),
]
KINDS = ["overlapping discs", "stacked rules", "a halftone field"]


def draw_picture(seed: int) -> tuple[bytes, str]:
    """Return one PNG and its alt text, the same for the same seed."""
    chance = random.Random(seed)
    paper, first, second, inks = PALETTES[seed % len(PALETTES)]
    kind = KINDS[seed % len(KINDS)]
    picture = PILImage.new("RGB", SIZE, paper)
    pen = ImageDraw.Draw(picture)
    width, height = SIZE
    if kind == "overlapping discs":
        for _ in range(7):
            radius = chance.randint(90, 285)
            x, y = chance.randint(0, width), chance.randint(0, height)
            ink = chance.choice([first, second])
            pen.ellipse([x - radius, y - radius, x + radius, y + radius], fill=ink)
    elif kind == "stacked rules":
        y = 80
        while y < height - 80:
            thickness = chance.choice([8, 16, 40, 72])
            start = chance.randint(60, width // 3)
            end = chance.randint(width // 2, width - 60)
            pen.rectangle(
                [start, y, end, y + thickness], fill=chance.choice([first, second])
            )
            y += thickness + chance.randint(24, 60)
    else:
        step = 30
        for row, y in enumerate(range(step // 2, height, step)):
            for x in range(step // 2 + (row % 2) * step // 2, width, step):
                weight = (x / width + chance.random() * 0.4) % 1
                radius = 3 + weight * 10
                ink = first if y < height * 0.6 else second
                pen.ellipse([x - radius, y - radius, x + radius, y + radius], fill=ink)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    alt = f"An abstract print: {kind} in {inks} on pale paper"
    return buffer.getvalue(), alt


def make_pictures(count: int) -> list[Image]:
    """Store `count` pictures in the media library (renditions included)."""
    images = []
    for seed in range(count):
        data, alt = draw_picture(seed)
        upload = io.BytesIO(data)
        upload.name = f"demo-print-{seed + 1}.png"
        images.append(
            store_upload(upload, alt=alt, credit="Demo print, drawn by Broadsheet")
        )
    return images
