"""The site's icons and web app manifest: the shipped mark, or the site icon."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from broadsheet.content.models import SiteSettings
from tests.factories import make_article, make_image
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

pytestmark = pytest.mark.django_db(transaction=True)

ICON_PATHS = ["/favicon.ico", "/apple-touch-icon.png", "/icon-192.png", "/icon-512.png"]


def picture(path: str) -> PILImage.Image:
    status, headers, body = request(path)
    assert status == 200, path
    image = PILImage.open(io.BytesIO(body))
    assert (
        headers["content-type"]
        == f"image/{'x-icon' if image.format == 'ICO' else 'png'}"
    )
    return image


def manifest() -> dict:
    status, headers, body = request("/site.webmanifest")
    assert status == 200
    assert headers["content-type"] == "application/manifest+json"
    return json.loads(body)


def test_the_default_icons_are_the_broadsheet_mark_at_each_size():
    sizes = {path: picture(path).size for path in ICON_PATHS}
    assert sizes == {
        "/favicon.ico": (48, 48),
        "/apple-touch-icon.png": (180, 180),
        "/icon-192.png": (192, 192),
        "/icon-512.png": (512, 512),
    }
    # The mark's rust-red square, and an opaque touch icon (iOS blackens alpha).
    assert picture("/icon-512.png").convert("RGB").getpixel((256, 60)) == (138, 43, 14)
    assert picture("/apple-touch-icon.png").mode == "RGB"


def test_the_manifest_names_the_site_and_its_app_icons():
    settings = SiteSettings.load()
    settings.site_name = "Compositor's Weekly"
    settings.save()
    data = manifest()
    assert data["name"] == "Compositor's Weekly"
    assert data["short_name"] == "Compositor's"  # what fits under a home-screen icon
    assert data["start_url"] == "/" and data["theme_color"].startswith("#")
    assert [(i["src"], i["sizes"]) for i in data["icons"]] == [
        ("/icon-192.png", "192x192"),
        ("/icon-512.png", "512x512"),
    ]


def test_pages_link_the_icons_and_the_manifest():
    make_article()
    soup = BeautifulSoup(request("/")[2], "html.parser")
    links = {(tuple(link["rel"]), link["href"]) for link in soup.select("link[rel]")}
    assert (("manifest",), "/site.webmanifest") in links
    assert (("apple-touch-icon",), "/apple-touch-icon.png") in links
    assert (("icon",), "/favicon.ico") in links
    assert any(rel == ("icon",) and href.endswith("favicon.svg") for rel, href in links)


def test_setting_a_site_icon_changes_every_icon_and_retires_cached_pages():
    make_article()
    before = {path: request(path)[2] for path in [*ICON_PATHS, "/site.webmanifest"]}
    warm("/", "/apple-touch-icon.png", "/site.webmanifest", "/icon-512.png")
    settings = SiteSettings.load()
    # A wide gradient: the icon keeps its whole width, centred on a square.
    settings.icon = make_image(size=(1000, 500), format="PNG")
    settings.save()
    for path in ["/", "/apple-touch-icon.png", "/site.webmanifest", "/icon-512.png"]:
        assert not is_hit(path), path
    for path in ICON_PATHS:
        assert request(path)[2] != before[path], path
    icon = picture("/icon-512.png")
    assert icon.size == (512, 512) and icon.mode == "RGBA"
    assert icon.getpixel((256, 10))[3] == 0  # transparent above the wide image
    assert icon.getpixel((256, 256))[3] == 255
    touch = picture("/apple-touch-icon.png")
    assert touch.size == (180, 180) and touch.mode == "RGB"
    soup = BeautifulSoup(request("/")[2], "html.parser")
    assert (
        soup.select_one('link[rel=icon][type="image/png"]')["href"] == "/icon-192.png"
    )
    assert not soup.select('link[rel=icon][type="image/svg+xml"]')


def test_removing_the_site_icon_brings_back_the_mark():
    default = request("/icon-512.png")[2]
    settings = SiteSettings.load()
    settings.icon = make_image(format="PNG")
    settings.save()
    assert request("/icon-512.png")[2] != default
    settings.icon = None
    settings.save()
    assert request("/icon-512.png")[2] == default
