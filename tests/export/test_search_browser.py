"""Searching the exported site in Chromium, served as plain files."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, skip_without_chromium
from tests.export.test_search import make_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard signature
        pass


@pytest.fixture
def exported(tmp_path):
    """The corpus exported, served by the standard library's file server."""
    skip_without_chromium()
    make_corpus()
    target = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "static", str(target), "--jobs=1"])
    assert result.exit_code == 0, result.output
    handler = functools.partial(QuietHandler, directory=str(target))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def test_the_header_box_finds_the_article_first(exported, browser):
    page = browser.new_page()
    page.goto(exported + "/articles/rag-paper/")
    box = page.get_by_role("searchbox", name="Search articles")
    box.fill("Linotype")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert urllib.parse.urlsplit(page.url).path == "/search/"
    results = page.locator(".search-result .card-title a")
    results.first.wait_for()
    assert results.all_text_contents() == ["The Linotype Arrives", "Hand Setting"]
    assert page.locator(".search-count").text_content() == "2 articles found."
    assert page.get_by_role("searchbox", name="Search for").input_value() == "Linotype"
    results.first.click()
    page.wait_for_url("**/articles/linotype-arrives/")


def test_a_prefix_finds_whole_words_and_every_word_must_match(exported, browser):
    page = browser.new_page()
    page.goto(exported + "/search/?q=compos")  # compositors, composing
    page.locator(".search-result").first.wait_for()
    titles = page.locator(".search-result .card-title a").all_text_contents()
    assert titles == ["The Linotype Arrives"]
    page.goto(exported + "/search/?q=linotype+pulp")
    page.locator(".search-count").filter(has_text="Nothing found").wait_for()
    assert page.locator(".search-result").count() == 0


def test_without_javascript_the_page_says_so_and_links_the_archive(exported, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(exported + "/search/?q=linotype")
    notice = page.locator(".search-notice")
    assert "search needs JavaScript" in notice.text_content()
    assert (
        notice.get_by_role("link", name="archive").get_attribute("href") == "/archive/"
    )
    context.close()
