"""Smoke test in Debian's Chromium: the flagship article, a note and back again."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ARTICLE
from tests.system.serving import REPO_ROOT, Site

# The `site` and `browser` fixtures come from tests/browser/conftest.py; the group keeps
# every browser test on the one worker that serves the shared site.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "article.png"
LOCAL_SCHEMES = {"data", "blob", "about"}
WIDE = {"width": 1280, "height": 900}  # sidenotes in the margin from 64em


def open_article(
    browser, site: Site, viewport: dict[str, int]
) -> tuple[Page, list[str]]:
    """Open the flagship article; return the page and the URLs it requested."""
    page = browser.new_page(viewport=viewport)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site.url(ARTICLE))
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requested


def foreign(requested: list[str]) -> list[str]:
    return [
        url
        for url in requested
        if urllib.parse.urlsplit(url).scheme not in LOCAL_SCHEMES
        and urllib.parse.urlsplit(url).hostname != "127.0.0.1"
    ]


def test_note_reference_goes_to_its_note_and_the_back_link_returns(site, browser):
    page, requested = open_article(browser, site, WIDE)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT)
    reference = page.locator("#noteref-1")
    note = page.locator("#note-1")

    reference.click()
    expect(page).to_have_url(re.compile(r"#note-1$"))
    expect(note).to_be_in_viewport()
    expect(reference).not_to_be_in_viewport()

    note.locator("a.note-backref").first.click()
    expect(page).to_have_url(re.compile(r"#noteref-1$"))
    expect(reference).to_be_in_viewport()
    expect(note).not_to_be_in_viewport()
    assert requested and not foreign(requested)
