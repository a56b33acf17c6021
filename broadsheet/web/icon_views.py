"""The site's icons: /favicon.ico, the Apple touch icon, app icons and the web app
manifest, drawn from the site icon in the settings or the shipped Broadsheet mark.

Each is rendered once per site state and kept by the page cache under the SITE
surface, which saving the settings retires, so a new icon shows at once; the
static export writes them as files (export.crawl seeds their URLs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from broadsheet.content.models import SiteSettings
from broadsheet.media import icons
from broadsheet.media.models import Image
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing.surfaces import SITE

ICONS = Path(__file__).resolve().parent / "static" / "web" / "icons"
DEFAULT_PNG = ICONS / "default-512.png"  # web/static/web/favicon.svg, drawn at 512 px
DEFAULT_SIZE = 512
DEFAULT_ICO = ICONS / "favicon.ico"
APP_SIZES = (192, 512)  # what browsers ask a manifest for
TOUCH_SIZE = 180  # Apple's touch icon
# The site's accent (web/static/web/site.css --accent) and paper colours.
THEME_COLOUR = "#8a2b0e"
BACKGROUND_COLOUR = "#fdfcf8"
SHORT_NAME_LENGTH = 12  # longer names are cut under a home-screen icon


def _icon(site: SiteSettings) -> Image | None:
    if site.icon_id is None:
        return None
    return Image.objects.filter(pk=site.icon_id).first()


def _respond(body: bytes, content_type: str) -> HttpResponse:
    return cache_surfaces(HttpResponse(body, content_type=content_type), {SITE})


def _png(size: int, *, background: str | None = None) -> HttpResponse:
    image = _icon(SiteSettings.load())
    if image is None and size == DEFAULT_SIZE and background is None:
        return _respond(DEFAULT_PNG.read_bytes(), "image/png")
    with _open(image) as source:
        body = icons.square_png(source, size, background=background)
    return _respond(body, "image/png")


def _open(image: Image | None) -> BinaryIO:
    """The site icon's original, or the default mark."""
    if image is None:
        return DEFAULT_PNG.open("rb")
    return default_storage.open(image.file, "rb")


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and feed readers fetch without asking the page."""
    image = _icon(SiteSettings.load())
    if image is None:
        return _respond(DEFAULT_ICO.read_bytes(), "image/x-icon")
    with _open(image) as source:
        return _respond(icons.favicon_ico(source), "image/x-icon")


def apple_touch_icon(request: HttpRequest) -> HttpResponse:
    # Opaque: iOS shows a transparent corner as black.
    return _png(TOUCH_SIZE, background=BACKGROUND_COLOUR)


def app_icon(request: HttpRequest, size: int) -> HttpResponse:
    return _png(size)


def manifest(request: HttpRequest) -> HttpResponse:
    """/site.webmanifest: the name and icons a browser uses for the saved site."""
    site = SiteSettings.load()
    name = site.site_name
    short = name if len(name) <= SHORT_NAME_LENGTH else name.split()[0]
    data = {
        "name": name,
        "short_name": short[:SHORT_NAME_LENGTH],
        "description": site.tagline,
        "start_url": reverse("web:home"),
        "display": "browser",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": reverse(f"web:icon-{size}"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in APP_SIZES
        ],
    }
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return _respond(body, "application/manifest+json")
