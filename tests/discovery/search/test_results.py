"""Search results on the corpus: ranking, phrases, stems, notes, hostile queries.

The same tests run on SQLite (FTS5) and, in `make test`'s second run, PostgreSQL.
"""

import pytest
from bs4 import BeautifulSoup

from broadsheet.discovery.search import search

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def slugs(results) -> list[str]:
    return [hit.slug for hit in results.hits]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("anatomy of a typeface", "anatomy-of-a-typeface"),
        ("sourdough starter", "slow-rise-of-sourdough"),
        ("winter constellations", "winter-constellations"),
        ("Saros", "eclipses-and-the-saros-cycle"),
        ("casting type", "casting-metal-type"),
        ("small press", "keeping-a-small-press"),
        ("roasting vegetables", "roasting-winter-vegetables"),
    ],
)
def test_known_item_queries_rank_the_right_article_first(corpus, query, expected):
    assert slugs(search(query))[0] == expected


def test_a_title_hit_outranks_many_hits_in_a_body(corpus):
    found = slugs(search("constellations"))
    assert found == ["winter-constellations", "eclipses-and-the-saros-cycle"]


def test_every_word_must_be_present(corpus):
    assert slugs(search("winter sourdough")) == ["slow-rise-of-sourdough"]
    assert search("sourdough telescope").hits == []


def test_a_quoted_phrase_needs_its_words_in_order(corpus):
    # "Keeping a small press" has "by hand" and "mould", but not "hand mould".
    assert slugs(search('"hand mould"')) == ["casting-metal-type"]
    assert "keeping-a-small-press" in slugs(search("hand mould"))


def test_words_are_stemmed(corpus):
    assert "keeping-a-small-press" in slugs(search("printing"))  # says "printed"
    assert "slow-rise-of-sourdough" in slugs(search("ferments"))


def test_matching_ignores_case_and_highlights_title_words(corpus):
    (hit,) = search("SAROS").hits
    assert str(hit.title_html) == "Eclipses and the <mark>Saros</mark> cycle"


def test_a_hit_in_the_body_is_shown_in_a_highlighted_snippet(corpus):
    (hit,) = search("Betelgeuse").hits
    assert hit.snippet.source == "body"
    marks = BeautifulSoup(hit.snippet.html, "html.parser").find_all("mark")
    assert [mark.get_text() for mark in marks] == ["Betelgeuse"]


def test_a_hit_inside_a_note_names_that_note(corpus):
    (hit,) = search("quoin").hits
    assert hit.slug == "keeping-a-small-press"
    assert (hit.snippet.source, hit.snippet.note) == ("note", 2)
    assert "<mark>quoin</mark> locks the forme" in hit.snippet.html
    assert "Dry paper" not in hit.snippet.html  # note 1 is not shown


def test_author_names_are_searched(corpus):
    assert set(slugs(search("Tobias Fenwick"))) == {
        "slow-rise-of-sourdough",
        "roasting-winter-vegetables",
    }


def test_cited_works_titles_and_authors_are_searched(corpus):
    assert slugs(search('"mechanick exercises"')) == ["casting-metal-type"]
    assert slugs(search("Joseph")) == ["casting-metal-type"]


def test_drafts_withdrawn_and_not_yet_due_articles_are_never_found(corpus):
    for word in ["lithographic", "aquatint", "mezzotint"]:
        assert search(word).hits == [], word
        assert search(word).total == 0


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        'type" "',
        "AND OR NOT",
        "NEAR(type, mould)",
        "NEAR(",
        "typ*",
        "^type",
        "title:type",
        "-type",
        "type -",
        "((((",
        "' OR 1=1 --",
        "%s %(x)s ?",
        "a" * 10_240,
        "type " * 2048,
        "type\x00face",
        "\x00",
        "\x01\x02\x1b[31m",
        "\ue000type\ue001",
        "🙂 ☃",
        "",
    ],
)
def test_hostile_queries_never_error(corpus, query):
    results = search(query)
    assert results.total >= 0 and len(results.hits) <= results.per_page


def test_operators_are_searched_as_words_not_obeyed(corpus):
    # As a NOT, the minus would drop the one article with both words.
    assert "casting-metal-type" in slugs(search("hand -mould"))
    # As an OR, the sourdough article (no "matrix") would be found.
    assert "slow-rise-of-sourdough" not in slugs(search("matrix OR sourdough"))
    assert "casting-metal-type" in slugs(search("matrix*"))


def test_results_are_paginated_and_count_every_hit(corpus):
    first = search("winter", per_page=2)
    second = search("winter", page=2, per_page=2)
    assert first.total == second.total == 4
    assert (first.num_pages, first.has_next, second.has_previous) == (2, True, True)
    assert len(set(slugs(first)) | set(slugs(second))) == 4
    past = search("winter", page=9, per_page=2)
    assert past.hits == [] and past.total == 4


def test_nothing_asked_searches_nothing(corpus):
    results = search("   ")
    assert not results.asked and results.hits == []
