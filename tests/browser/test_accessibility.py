"""axe-core finds no accessibility violations on the public pages, in both themes."""

from __future__ import annotations

import pytest

from tests.browser.pages import ARTICLE, TOOLING, viewport

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = {
    "home": "/",
    "home page 2": "/page/2/",
    "article": ARTICLE,
    "author": "/authors/hester-quayle/",
    "section": "/categories/print-and-type/",
    "sections": "/categories/",
    "tags": "/tags/",
    "tag": "/tags/letterpress/",
    "sources": "/sources/",
    "sources by times cited": "/sources/by/cited/",
    "archive": "/archive/",
    "static page": "/about/",
    "search": "/search/?q=type&category=",
}
# WCAG 2.2 A and AA plus axe's best practices (landmarks, heading order, regions).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def themed_pages(browser):
    """One light and one dark browser context at laptop width, shared by the module."""
    contexts = {
        scheme: browser.new_context(
            viewport=viewport(1440), color_scheme=scheme, **TOOLING
        )
        for scheme in ("light", "dark")
    }
    yield contexts
    for context in contexts.values():
        context.close()


def axe_violations(page, axe_path) -> list[str]:
    """Run axe-core on `page`; return one line per violation and offending node."""
    page.add_script_tag(path=str(axe_path))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} "
        f"{node.get('failureSummary', '').splitlines()[-1:]}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_accessibility_violations(
    site, themed_pages, axe_path, path, scheme
):
    page = themed_pages[scheme].new_page()
    try:
        response = page.goto(site.url(path))
        assert response.status == 200, path
        page.evaluate("document.fonts.ready.then(() => true)")
        assert axe_violations(page, axe_path) == []
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_note_popover_has_no_accessibility_violations(
    site, browser, axe_path, scheme
):
    context = browser.new_context(
        viewport=viewport(390), color_scheme=scheme, **TOOLING
    )
    try:
        page = context.new_page()
        page.goto(site.url(ARTICLE))
        page.locator("#noteref-2").click()
        page.get_by_role("dialog", name="Note 2").wait_for()
        assert axe_violations(page, axe_path) == []
    finally:
        context.close()
