"""Searching from the header box in Chromium, with JavaScript and without."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.browser.pages import ARTICLE, viewport

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_header_box_searches_and_the_first_result_is_the_article(
    site, browser, javascript
):
    context = browser.new_context(
        viewport=viewport(390), java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        page.goto(site.url(ARTICLE))
        box = page.get_by_role("searchbox", name="Search articles")
        box.fill('"movable type"')
        box.press("Enter")
        page.wait_for_url("**/search/?q=*")
        query = urllib.parse.urlsplit(page.url).query
        assert urllib.parse.parse_qs(query) == {"q": ['"movable type"']}
        first = page.locator(".search-result .card-title a").first
        assert first.get_attribute("href") == ARTICLE
        assert page.locator(".search-result mark").count() > 0
        assert page.get_by_role("searchbox", name="Search for").input_value() == (
            '"movable type"'
        )
    finally:
        context.close()
