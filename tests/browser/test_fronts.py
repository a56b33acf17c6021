"""The fronts, indexes and Sources in a real browser, without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.pages import ARTICLE, viewport

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NEW_PAGES = ["/", "/categories/print-and-type/", "/categories/", "/tags/", "/sources/"]


@pytest.fixture(scope="module")
def no_js(browser):
    """Contexts without JavaScript at phone and laptop width."""
    contexts = {
        width: browser.new_context(viewport=viewport(width), java_script_enabled=False)
        for width in (390, 1440)
    }
    yield contexts
    for context in contexts.values():
        context.close()


def box(page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


def test_the_pinned_flagship_leads_with_its_picture_loaded(site, no_js):
    page = no_js[1440].new_page()
    try:
        page.goto(site.url("/"), wait_until="networkidle")
        lead = page.locator(".front-lead .card-lead")
        assert lead.locator(".card-title a").get_attribute("href") == ARTICLE
        image = lead.locator("img.card-image")
        assert image.get_attribute("alt")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    finally:
        page.close()


def test_secondary_stories_sit_beside_the_lead_on_wide_screens_and_below_on_phones(
    site, no_js
):
    for width, beside in [(1440, True), (390, False)]:
        page = no_js[width].new_page()
        try:
            page.goto(site.url("/"))
            lead, secondary = box(page, ".front-lead"), box(page, ".front-secondary")
            if beside:
                assert secondary["x"] >= lead["x"] + lead["width"]
                assert abs(secondary["y"] - lead["y"]) < 2
            else:
                assert secondary["y"] >= lead["y"] + lead["height"]
        finally:
            page.close()


@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_fit_a_phone_without_sideways_scrolling(site, no_js, path):
    page = no_js[390].new_page()
    try:
        assert page.goto(site.url(path)).status == 200
        overflow = page.evaluate(
            "document.scrollingElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, path
    finally:
        page.close()


def test_sources_sort_by_year_through_plain_links(site, no_js):
    page = no_js[1440].new_page()
    try:
        page.goto(site.url("/sources/"))
        page.locator(".sort-links a", has_text="Year").click()
        page.wait_for_url("**/sources/by/year/")
        years = [int(y) for y in page.locator(".source-year").all_inner_texts()]
        assert years == sorted(years) and len(years) > 3
        current = page.locator(".sort-links a[aria-current=page]")
        assert current.inner_text() == "Year"
    finally:
        page.close()
