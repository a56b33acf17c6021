"""Search filters: author, category, tag, date range and "cites work KEY"."""

import datetime

import pytest

from broadsheet.discovery.search import Filters, search
from tests.factories import make_tag

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WINTER = {
    "roasting-winter-vegetables",
    "winter-constellations",
    "slow-rise-of-sourdough",
    "anatomy-of-a-typeface",
}


def found(text: str, **filters) -> set[str]:
    return {hit.slug for hit in search(text, Filters(**filters)).hits}


def test_without_filters_every_article_with_the_word_is_found(corpus):
    assert found("winter") == WINTER


def test_author_filter_keeps_that_authors_articles(corpus):
    assert found("winter", author="mira-castellan") == {"winter-constellations"}
    assert found("winter", author="no-such-author") == set()


def test_category_filter(corpus):
    assert found("winter", category="kitchen") == {
        "roasting-winter-vegetables",
        "slow-rise-of-sourdough",
    }


def test_tag_filter_reads_tags_added_after_publishing(corpus):
    assert found("winter", tag="letterpress") == {"anatomy-of-a-typeface"}
    late = make_tag(slug="late")
    corpus["sourdough"].tags.add(late)
    assert found("winter", tag="late") == {"slow-rise-of-sourdough"}


def test_date_range_is_inclusive_of_both_days(corpus):
    # The constellations article went out on 8 January 2024 at 10:00.
    day = datetime.date(2024, 1, 8)
    assert found("winter", date_from=day, date_to=day) == {"winter-constellations"}
    assert found("winter", date_to=datetime.date(2024, 1, 7)) == {
        "roasting-winter-vegetables"
    }
    assert found("winter", date_from=datetime.date(2024, 1, 9)) == {
        "slow-rise-of-sourdough",
        "anatomy-of-a-typeface",
    }


def test_extreme_dates_do_not_overflow(corpus):
    assert found("winter", date_from=datetime.date.min, date_to=datetime.date.max) == (
        WINTER
    )


def test_cites_filter_keeps_articles_citing_that_work(corpus):
    assert found("type", cites="moxon1683") == {"casting-metal-type"}
    assert found("type", cites="unknown-key") == set()


def test_filters_alone_list_matching_articles_newest_first(corpus):
    results = search("", Filters(author="hester-quayle"))
    assert [hit.slug for hit in results.hits] == [
        "keeping-a-small-press",
        "casting-metal-type",
        "anatomy-of-a-typeface",
    ]
    assert results.hits[0].snippet.html.startswith("Every sheet is fed by hand.")


def test_filters_combine(corpus):
    assert found("", author="hester-quayle", cites="moxon1683") == {
        "casting-metal-type"
    }
    assert found("winter", category="sky", tag="baking") == set()
