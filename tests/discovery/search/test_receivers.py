"""Renaming an author or editing a cited work rewrites the rows that show them."""

import pytest
from django.db import transaction

from broadsheet.discovery.search import search
from broadsheet.sources.models import Work

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def found(text: str) -> set[str]:
    return {hit.slug for hit in search(text).hits}


def test_an_author_renamed_is_found_by_the_new_name_only(corpus):
    author = corpus["sourdough"].article_authors.get().author
    author.name = "Tobias Underhill"
    author.save()
    assert found("Underhill") == {
        "slow-rise-of-sourdough",
        "roasting-winter-vegetables",
    }
    assert found("Fenwick") == set()


def test_a_cited_work_edited_is_found_by_its_new_title(corpus):
    work = Work.objects.get(key="moxon1683")
    work.csl = dict(work.csl, title="Exercises in Typefounding")
    work.save()
    assert found("typefounding") == {"casting-metal-type"}


def test_a_rolled_back_rename_leaves_the_index_as_it_was(corpus):
    author = corpus["constellations"].article_authors.get().author
    with pytest.raises(RuntimeError), transaction.atomic():
        author.name = "Someone Else"
        author.save()
        raise RuntimeError("rolled back")
    assert found("Castellan") == {
        "winter-constellations",
        "eclipses-and-the-saros-cycle",
    }
