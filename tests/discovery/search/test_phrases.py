"""Quoted phrases: their words must stand together, in order, on both backends.

PostgreSQL finds a phrase by its pairs of neighbouring words (discovery 0009):
a phrase of two words by its pair alone, a longer one by its pairs and then
@@, which checks the whole run. Run on SQLite and PostgreSQL.
"""

import pytest
from django.db import connection

from broadsheet.discovery.search import backends, search
from broadsheet.discovery.search.backends import topk
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def slugs(results) -> list[str]:
    return sorted(hit.slug for hit in results.hits)


def test_a_phrase_with_a_stopword_needs_that_gap_and_no_other_word_in_it(db):
    held = make_article(body="They ran short of the press of ink that week.").slug
    make_article(body="A press, new ink and old paper.")  # another word between
    make_article(body="Ink for the press.")  # the order reversed
    make_article(body="The press ran. Of ink there was plenty.")  # apart
    assert slugs(search('"press of ink"')) == [held]


def test_a_phrase_of_three_words_needs_them_in_one_run(db):
    # Its two pairs, "hand mould" and "mould casting", are in both articles.
    held = make_article(body="Hand mould casting was slow.").slug
    make_article(body="A hand mould, then mould casting by machine.")
    assert slugs(search('"hand mould casting"')) == [held]


def test_a_phrase_of_one_word_and_stopwords_is_found(db):
    # PostgreSQL's phrase is one word here (no pair): @@ alone finds it.
    held = make_article(body="The work of the gilder was slow.").slug
    make_article(body="The work of the printer was slow.")
    assert slugs(search('"of the gilder"')) == [held]


def test_phrases_across_punctuation_and_hyphens_are_found(db):
    held = make_article(body="A half-tone plate, then another: tone plate.").slug
    make_article(body="Half of the plate had no tone.")
    assert slugs(search('"half tone plate"')) == [held]
    assert slugs(search("half-tone")) == [held]


@pytest.mark.parametrize("phrase", ['"paper mill"', '"old paper mill"'])
def test_a_common_phrases_newest_hits_are_found_behind_newer_articles(
    db, monkeypatch, phrase
):
    # A page of one reads two candidates: more than two hits make a common
    # query, and PostgreSQL looks for the newest in ever wider windows of ids.
    monkeypatch.setattr(backends.for_connection(connection), "RANK_LIMIT", 1)
    monkeypatch.setattr(topk, "TIE_ROOM", 1)
    old = [
        make_article(body="Cold. " * n + "The old paper mill stood by the weir.")
        for n in range(4)
    ]
    for n in range(40):
        make_article(body="Cold. " * n + "The mill was old. Paper came later.")
    common = search(phrase, per_page=1)
    assert common.more
    assert slugs(common) == [old[2].slug]  # the best of the two newest hits
