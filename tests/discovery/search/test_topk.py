"""The fast path of a search without filters (search/backends/topk.py).

Above a backend's RANK_LIMIT hits a query is a common one: the count says
"more than", the heading hits come first, then the newest hits. RANK_LIMIT and
the room for ties are lowered here so that a small corpus reaches it (a page of
one result then reads two candidates). Run on SQLite and PostgreSQL.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client

from broadsheet.discovery.search import Filters, backends, search
from broadsheet.discovery.search.backends import topk
from tests.factories import make_article, make_author

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def slugs(results) -> list[str]:
    return [hit.slug for hit in results.hits]


@pytest.fixture
def common_above_two(monkeypatch):
    """A query with more than two hits is a common one (for a page of one)."""
    monkeypatch.setattr(backends.for_connection(connection), "RANK_LIMIT", 1)
    monkeypatch.setattr(topk, "TIE_ROOM", 1)


def test_a_common_query_says_more_than_and_puts_heading_hits_first(corpus):
    exact = search("winter", per_page=1)
    assert (exact.total, exact.more) == (4, False)
    title_hits = {"roasting-winter-vegetables", "winter-constellations"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backends.for_connection(connection), "RANK_LIMIT", 1)
        patch.setattr(topk, "TIE_ROOM", 1)
        common = search("winter", per_page=1)
        second = search("winter", page=2, per_page=1)
        pages = [slugs(search("winter", page=n, per_page=1)) for n in (1, 2, 3, 4)]
    assert (common.total, common.more) == (2, True)
    assert {slugs(common)[0], slugs(second)[0]} == title_hits  # whatever their age
    exact_pages = [slugs(search("winter", page=n, per_page=1)) for n in (1, 2, 3, 4)]
    assert sorted(sum(pages, [])) == sorted(sum(exact_pages, []))  # all reachable


def test_the_results_page_says_more_than_for_a_common_query(db, common_above_two):
    # A page of ten reads eleven candidates: twelve hits make a common query.
    # (Lengths differ so that scores do: a run of ties takes the exact query.)
    author = make_author(name="Ivo Marlowe", slug="ivo-marlowe")
    for n in range(12):
        body = "Cold. " * n + "A hard frost."
        make_article(title=f"Almanac {n}", body=body, authors=[author])
    page = Client().get("/search/", {"q": "frost"}).content.decode()
    assert "More than 11 articles found" in page
    assert "in the title or byline first, then the newest" in page


def test_a_common_phrase_finds_only_articles_holding_it(db, common_above_two):
    # Its newest hits are scored by the phrase's words on SQLite (bm25() of a
    # phrase would weigh it by a pass over the whole table): the words apart
    # must not let an article in, though these score better by the words.
    # A page of ten reads eleven candidates: thirteen hits make a common query.
    # (Lengths differ so that scores do: a run of ties takes the exact query.)
    author = make_author(name="Ivo Marlowe", slug="ivo-marlowe")
    holding = {
        make_article(
            title=f"Notes from the river {n}",
            body="Cold. " * n + "The old paper mill by the river made this sheet.",
            authors=[author],
        ).slug
        for n in range(12)
    }
    titled = make_article(
        title="The paper mill",
        body="A paper mill, seen from the weir.",
        authors=[author],
    ).slug
    for n in range(4):  # the newest, and the best by the words alone
        make_article(
            title=f"Paper boats at the mill {n}",
            body="Cold. " * n + "Paper boats raced past the mill wheel.",
            authors=[author],
        )
    common = search('"paper mill"')
    assert common.more and len(common.hits) == 10
    assert slugs(common)[0] == titled  # the phrase in the title: first
    assert set(slugs(common)) <= holding | {titled}


def test_the_fast_path_and_the_filtered_query_agree(corpus):
    # A date range that holds everything takes the exact query (filters).
    everything = Filters(date_from=datetime.date(1900, 1, 1))
    for query in ["winter", "type", '"hand mould"', "printing press"]:
        fast, exact = search(query), search(query, everything)
        assert (slugs(fast), fast.total) == (slugs(exact), exact.total), query


def test_a_withdrawn_title_hit_leaves_the_heading_index(corpus, common_above_two):
    # Were it still in the heading's index, the page would find a row that is
    # not live and fall back to the exact query, which counts every hit.
    from broadsheet.publishing.services import unpublish_article

    unpublish_article(corpus["constellations"])
    common = search("winter", per_page=1)
    assert common.more and slugs(common) == ["roasting-winter-vegetables"]


def test_a_common_querys_newest_hits_are_found_behind_newer_articles(
    db, common_above_two
):
    # PostgreSQL looks for the newest hits in ever wider windows of the newest
    # ids (a page of one reads two candidates: a first window of four ids).
    author = make_author(name="Ivo Marlowe", slug="ivo-marlowe")
    old = [
        make_article(title=f"Almanac {n}", body="Cold. " * n + "A hard frost.")
        for n in range(4)
    ]
    for n in range(40):
        make_article(title=f"Summer {n}", body="A warm day.", authors=[author])
    common = search("frost", per_page=1)
    assert common.more
    # The best of the two newest hits: the shorter one.
    assert slugs(common) == [old[2].slug]


def test_a_common_querys_heading_hits_hold_the_whole_query_best_heading_first(
    db, common_above_two
):
    # A page of ten reads eleven candidates: fourteen hits make a common query.
    # The heading is searched for any of the query's words, but an article must
    # hold them all; of those, the heading with both words is the better one,
    # though older. (Lengths differ so that scores do.)
    author = make_author(name="Ivo Marlowe", slug="ivo-marlowe")
    both = make_article(
        title="Frost hollow", body="A frost settles in the hollow.", authors=[author]
    ).slug
    one = make_article(
        title="Frost", body="The hollow was white by dawn.", authors=[author]
    ).slug
    apart = make_article(
        title="Frost fair", body="Stalls on the ice.", authors=[author]
    ).slug
    for n in range(12):
        make_article(
            title=f"Almanac {n}",
            body="Cold. " * n + "A hard frost in the hollow.",
            authors=[author],
        )
    common = search("frost hollow")
    assert common.more
    assert slugs(common)[:2] == [both, one]
    assert apart not in slugs(common)
