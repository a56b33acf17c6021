"""The `broadsheet` command as a newcomer uses it: demo, serve, read, check, log in."""

from __future__ import annotations

import http.client
import re
import secrets
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from tests.system import serving
from tests.system.fixtures import DATABASES, new_database
from tests.system.serving import (
    BROWSER_UA,
    FLAGSHIP_SLUG,
    Site,
    log_in,
    printed_password,
)

# One group, so that xdist keeps the module's tests, and its two sites, on one worker.
pytestmark = [pytest.mark.system, pytest.mark.xdist_group("cli-site")]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module", params=DATABASES)
def demo_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One demo site per database, served for the whole module (starting is slow)."""
    database = new_database(request, request.param)
    env = serving.make_site_env(tmp_path_factory.mktemp("var"), database.url)
    with serving.served_site(env, serve_options=("--access-log",)) as site:
        yield site
        print(f"--- broadsheet serve log ---\n{site.server_log()}")


def test_demo_prints_the_admin_password_it_keeps_in_var(demo_site):
    kept = (demo_site.var_dir / "admin_password.txt").read_text().strip()

    assert printed_password(demo_site.demo_output) == kept
    assert "username: admin" in demo_site.demo_output


def test_demo_run_again_keeps_content_and_password(demo_site):
    again = serving.broadsheet(demo_site.env, "demo")

    assert again.returncode == 0, again.stderr
    assert "Content exists already" in again.stdout
    assert printed_password(again.stdout) == printed_password(demo_site.demo_output)


def test_sitemap_lists_the_demo_articles_and_every_url_answers(demo_site):
    index = demo_site.fetch("/sitemap.xml")
    assert index.status == 200
    sections = [
        loc.text
        for loc in ET.fromstring(index.body).iterfind("sm:sitemap/sm:loc", SITEMAP_NS)
    ]
    assert demo_site.url("/sitemaps/pages.xml") in sections
    locations = []
    for section in sections:
        response = demo_site.fetch(section.removeprefix(demo_site.base_url))
        assert response.status == 200, section
        found = ET.fromstring(response.body).iterfind("sm:url/sm:loc", SITEMAP_NS)
        locations += [loc.text for loc in found]
    article_urls = [url for url in locations if "/articles/" in url]

    assert len(article_urls) >= 40
    assert demo_site.url(f"/articles/{FLAGSHIP_SLUG}/") in article_urls
    assert len(set(locations)) == len(locations)
    for url in locations:
        assert url.startswith(demo_site.base_url + "/"), url
        path = url.removeprefix(demo_site.base_url)
        assert demo_site.fetch(path, method="HEAD").status == 200, path


def test_flagship_article_note_references_and_back_links_resolve(demo_site):
    response = demo_site.fetch(f"/articles/{FLAGSHIP_SLUG}/")
    assert response.status == 200
    soup = BeautifulSoup(response.text, "html.parser")
    ids = [element["id"] for element in soup.select("[id]")]
    by_id = {element["id"]: element for element in soup.select("[id]")}
    references = soup.select("sup.note-ref a[role=doc-noteref]")
    notes = soup.select("section.notes ol.notes-list > li.note")
    back_links = soup.select("section.notes a.note-backref")

    assert len(ids) == len(set(ids)), "duplicate element ids"
    assert len(notes) >= 40
    assert len(references) >= len(notes)
    for reference in references:
        target = by_id.get(reference["href"].removeprefix("#"))
        assert reference["href"].startswith("#note-"), reference
        assert target is not None and target in notes, reference["href"]
    for back_link in back_links:
        target = by_id.get(back_link["href"].removeprefix("#"))
        assert back_link["href"].startswith("#noteref-"), back_link
        assert target is not None and target in references, back_link["href"]
        # The back-link returns to a reference to the very note it sits in.
        assert target["href"] == "#" + back_link.find_parent("li")["id"]
    referenced = {reference["href"].removeprefix("#") for reference in references}
    assert referenced == {note["id"] for note in notes}
    assert all(note.select("a.note-backref") for note in notes)


def test_flagship_notes_follow_one_house_style(demo_site):
    """Chicago's notes throughout: bare page numbers, en-dash ranges, commas inside
    quotation marks, whether a note's source was typed or is a citation."""
    response = demo_site.fetch(f"/articles/{FLAGSHIP_SLUG}/")
    notes = BeautifulSoup(response.text, "html.parser").select("li.note")
    text = " ".join(note.get_text(" ") for note in notes)
    assert len(notes) >= 40
    assert not re.findall(r"\bpp?\. \d+", text)
    assert not re.findall(r"\d+-\d+", text)
    assert not re.findall(r"[\u201d\"],", text)


def test_check_finds_no_problems_in_the_demo(demo_site):
    result = serving.broadsheet(demo_site.env, "check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found." in result.stdout


def test_admin_login_page_answers_with_a_form(demo_site):
    response = demo_site.fetch("/admin/login/", user_agent=BROWSER_UA)

    assert response.status == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("form#login-form input[name=csrfmiddlewaretoken]")


def test_password_printed_by_demo_logs_in_to_the_back_office(demo_site):
    response, jar = log_in(demo_site, "admin", printed_password(demo_site.demo_output))

    assert response.status == 200
    assert urllib.parse.urlsplit(response.url).path == "/admin/"
    assert "sessionid" in {cookie.name for cookie in jar}
    assert BeautifulSoup(response.text, "html.parser").select_one("#logout-form")


def test_wrong_password_does_not_log_in(demo_site):
    response, jar = log_in(demo_site, "admin", "not-the-password")

    assert response.status == 200
    assert urllib.parse.urlsplit(response.url).path == "/admin/login/"
    assert "sessionid" not in {cookie.name for cookie in jar}
    assert "errornote" in response.text


def test_access_log_has_a_line_per_request_when_asked_for(demo_site):
    path = f"/access-log-probe-{secrets.token_hex(4)}/"  # granian logs no query
    assert demo_site.fetch(path).status == 404
    line = re.compile(rf'"GET {re.escape(path)} HTTP/1\.1" 404 ')
    deadline = time.monotonic() + 10  # granian writes its log lines asynchronously
    while not line.search(demo_site.server_log()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert line.search(demo_site.server_log()), demo_site.server_log()


def test_site_keeps_its_database_and_static_files_in_its_var_dir(demo_site):
    assert (demo_site.var_dir / "static" / "staticfiles.json").is_file()
    sqlite_file = demo_site.var_dir / "broadsheet.sqlite3"
    assert sqlite_file.exists() == ("DATABASE_URL" not in demo_site.env)


def test_fingerprinted_assets_are_served_compressed_and_immutable(demo_site):
    home = demo_site.fetch("/").text
    stylesheet = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the stylesheet URL carries no content fingerprint"
    request = urllib.request.Request(
        demo_site.url(stylesheet.group(1)), headers={"Accept-Encoding": "br, gzip"}
    )
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        request
    ) as response:
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]
        assert response.headers["Content-Encoding"] in {"br", "gzip"}
        assert "Accept-Encoding" in response.headers["Vary"]


def test_idle_keep_alive_readers_never_lock_out_the_next_one(demo_site):
    """Browsers keep connections open between pages. A cap on accepted connections
    per worker (granian's --backpressure counts connections, not requests) would
    leave the next reader waiting for as long as the idle ones stay."""
    url = urllib.parse.urlsplit(demo_site.base_url)
    idle = []
    try:
        for reader in range(150):  # more than 2 workers x any small cap
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            try:
                connection.request("GET", "/about/")
                response = connection.getresponse()
                response.read()
            except OSError as error:
                pytest.fail(f"reader {reader} unanswered, {reader} idle: {error}")
            assert response.status == 200
            assert not response.will_close  # the connection stays open, idle
            idle.append(connection)
    finally:
        for connection in idle:
            connection.close()
