"""The search page and the header's search box, through HTTP as readers use them."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.pagecache import store
from broadsheet.publishing.services import unpublish_article
from broadsheet.wsgi import application
from tests.factories import make_search_corpus
from tests.serving.wsgi import call

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def corpus():
    """The search corpus (database access comes from each test's marker)."""
    return make_search_corpus()


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def result_links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select(".search-result .card-title a")]


def test_every_page_has_a_labelled_search_box_in_its_header(client, corpus):
    for path in ["/", "/articles/winter-constellations/", "/tags/letterpress/"]:
        form = soup_of(client.get(path)).select_one("header form[role=search]")
        assert form["action"] == "/search/" and form["method"] == "get"
        field = form.select_one("input[name=q]")
        assert form.select_one(f"label[for={field['id']}]").get_text().strip()
        assert form.select_one("button[type=submit]")


def test_the_search_page_lists_ranked_highlighted_results(client, corpus):
    soup = soup_of(client.get("/search/", {"q": "winter constellations"}))
    assert result_links(soup)[0] == "/articles/winter-constellations/"
    title = soup.select_one(".search-result .card-title")
    assert [m.get_text() for m in title.find_all("mark")] == [
        "winter",
        "constellations",
    ]
    assert soup.select_one(".search-result .byline a").get_text() == "Mira Castellan"
    assert soup.select_one("#search-q")["value"] == "winter constellations"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_a_hit_in_a_note_links_to_that_note(client, corpus):
    soup = soup_of(client.get("/search/", {"q": "quoin"}))
    link = soup.select_one(".search-result .snippet-note")
    assert link["href"] == "/articles/keeping-a-small-press/#note-2"
    article = soup_of(client.get("/articles/keeping-a-small-press/"))
    assert "quoin" in article.select_one("#note-2").get_text()


def test_filters_come_from_the_query_string(client, corpus):
    query = {"q": "winter", "category": "kitchen", "from": "2024-01-01"}
    soup = soup_of(client.get("/search/", query))
    assert result_links(soup) == ["/articles/slow-rise-of-sourdough/"]
    assert "in Kitchen" in soup.select_one(".search-count").get_text()
    assert soup.select_one("#search-from")["value"] == "2024-01-01"
    selected = soup.select_one("#search-category option[selected]")
    assert selected["value"] == "kitchen"
    cites = soup_of(client.get("/search/", {"cites": "moxon1683"}))
    assert result_links(cites) == ["/articles/casting-metal-type/"]
    assert "citing Mechanick Exercises" in cites.select_one(".search-count").get_text()


def test_bad_filter_values_are_ignored_and_said_so(client, corpus):
    soup = soup_of(client.get("/search/", {"q": "winter", "from": "2024-13-45"}))
    assert len(result_links(soup)) == 4
    assert "not a date" in soup.select_one(".search-notice").get_text()
    assert soup_of(client.get("/search/", {"q": "winter", "page": "two"}))


def test_results_paginate_by_query_string_keeping_the_query(client, corpus, settings):
    settings.BROADSHEET_PAGE_SIZE = 3
    first = soup_of(client.get("/search/", {"q": "winter", "tag": ""}))
    assert len(result_links(first)) == 3
    next_link = first.select_one("a[rel=next]")["href"]
    assert "q=winter" in next_link and "page=2" in next_link
    second = soup_of(client.get("/search/" + next_link))
    assert len(result_links(second)) == 1
    assert not set(result_links(first)) & set(result_links(second))
    past = soup_of(client.get("/search/", {"q": "winter", "page": "50"}))
    assert "past the last" in past.get_text()


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "NEAR(type", "a" * 10_240, "type\x00face", "\x1b[2J", "<script>"],
    ids=["quote", "near", "10 KB", "nul", "escape", "markup"],
)
def test_hostile_queries_answer_200_and_echo_only_printable_text(client, corpus, query):
    soup = soup_of(client.get("/search/", {"q": query}))
    shown = soup.select_one("#search-q")["value"]
    assert shown.isprintable() and len(shown) <= 2000
    assert soup.find("script", string=lambda s: s and "script" in s) is None


def test_an_empty_search_explains_itself(client, corpus):
    soup = soup_of(client.get("/search/"))
    assert not soup.select(".search-result") and "double quotes" in soup.get_text()


# The WSGI application ends its request by closing the connection, as a server's
# would: a test inside one transaction would lose it.
@pytest.mark.django_db(transaction=True)
def test_search_responses_are_never_page_cached_so_a_withdrawal_shows_at_once(
    settings, corpus
):
    settings.BROADSHEET_PAGE_CACHE = True
    status, header_list, body = call(application, "/search/?q=saros")
    headers = dict(header_list)
    assert status == 200 and b"eclipses-and-the-saros-cycle" in body
    assert headers["Cache-Control"] == "no-store"
    assert "X-Broadsheet-Cache" not in headers  # Django answered, not the cache
    assert store.lookup("/search/", "q=saros") is None
    unpublish_article(corpus["eclipses"])
    _, _, again = call(application, "/search/?q=saros")
    assert b"eclipses-and-the-saros-cycle" not in again


def test_unknown_query_strings_elsewhere_change_nothing(client, corpus):
    plain = client.get("/tags/letterpress/")
    asked = client.get("/tags/letterpress/", {"q": "type", "page": "9"})
    assert asked.status_code == 200 and asked.content == plain.content


def test_a_result_shows_its_sections_and_reading_time_as_cards_do(client, corpus):
    soup = soup_of(client.get("/search/", {"q": "winter constellations"}))
    first = soup.select_one(".search-result")
    kicker = first.select_one(".card-kicker")
    assert [(a.get_text(), a["href"]) for a in kicker.select("a")] == [
        ("Sky", "/categories/sky/")
    ]
    assert kicker.select_one(".reading-time").get_text().endswith(" min read")
