"""A reader's path through an article in Debian's Chromium: notes out and back again."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.system import serving
from tests.system.serving import FLAGSHIP_SLUG, REPO_ROOT, Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("served")]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "article.png"
ARTICLE = f"/articles/{FLAGSHIP_SLUG}/"
LOCAL_SCHEMES = {"data", "blob", "about"}
WIDE = {"width": 1280, "height": 900}  # sidenotes in the margin from 64em
NARROW = {"width": 414, "height": 860}  # note popovers


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    env = serving.make_site_env(tmp_path_factory.mktemp("var"))
    with serving.served_site(env) as served:
        yield served
        print(f"--- broadsheet serve log ---\n{served.server_log()}")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not installed ({CHROMIUM} missing; see make system-deps)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


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


def test_on_a_narrow_screen_a_note_reference_opens_its_note_in_a_popover(site, browser):
    page, requested = open_article(browser, site, NARROW)
    note_text = page.locator("#note-1 p").first.inner_text().removesuffix("↩").strip()
    reference = page.locator("#noteref-1")

    reference.click()
    popover = page.get_by_role("dialog", name="Note 1")
    expect(popover).to_be_in_viewport()
    expect(popover).to_contain_text(note_text[:60])
    assert urllib.parse.urlsplit(page.url).fragment == ""

    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    expect(reference).to_be_focused()
    assert requested and not foreign(requested)
