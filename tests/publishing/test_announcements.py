"""Bulk work (an import) owes its derived rows to batches inside its transaction."""

import pytest
from django.db import transaction

from broadsheet.content.models import Article
from broadsheet.discovery.models import SearchDocument
from broadsheet.discovery.search import search
from broadsheet.publishing import announcements
from broadsheet.publishing.services import save_article, unpublish_article
from broadsheet.web.fragments import render_missing
from broadsheet.web.models import ArticleFragments
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    return sorted(hit.slug for hit in search(text).hits)


def new_article(slug: str, body: str) -> Article:
    article = Article(
        title=slug.title(), slug=slug, body=body, status=Article.Status.PUBLISHED
    )
    save_article(article, authors=[make_author()])
    return article


def test_rows_saved_in_bulk_are_in_the_index_when_the_block_ends():
    gone = make_article(slug="gone", body="Blind tooling on calf.")
    with transaction.atomic():
        with announcements.as_one_change():
            new_article("quires", "Folding quires of rag paper.")
            new_article("sheets", "Drying sheets of rag paper on lines.")
            unpublish_article(gone)
        # Still inside the transaction: written before it commits.
        assert found("rag") == ["quires", "sheets"]
    assert found("rag") == ["quires", "sheets"]
    assert found("tooling") == []
    assert not SearchDocument.objects.filter(article=gone).exists()


def test_rows_are_written_as_each_batch_fills(monkeypatch):
    monkeypatch.setattr(announcements, "BATCH", 2)
    with transaction.atomic(), announcements.as_one_change():
        new_article("first", "Casting a sort of long primer.")
        new_article("second", "Casting a sort of brevier.")
        # A full batch is written at once: nothing piles up as an import grows.
        assert found("casting") == ["first", "second"]
        new_article("third", "Casting a sort of pica.")
        assert found("casting") == ["first", "second"]
    assert found("casting") == ["first", "second", "third"]


def test_a_rolled_back_bulk_change_leaves_no_rows():
    with pytest.raises(RuntimeError), transaction.atomic():
        with announcements.as_one_change():
            new_article("never", "Headbands of silk.")
        raise RuntimeError("the import failed after its last post")
    assert found("headbands") == [] and not SearchDocument.objects.exists()


def test_a_dry_run_writes_no_rows_at_the_end():
    with transaction.atomic(), announcements.as_one_change():
        new_article("trial", "Sewing on tapes.")
        transaction.set_rollback(True)
    assert not Article.objects.exists() and not SearchDocument.objects.exists()


def test_an_article_edited_in_bulk_loses_its_stale_fragments_before_commit():
    article = make_article(slug="edited", body="Lampblack and linseed oil.")
    render_missing([article.pk])
    assert ArticleFragments.objects.filter(article=article).exists()
    with transaction.atomic():
        with announcements.as_one_change():
            article.body = "Oak galls and iron."
            save_article(article)
        assert not ArticleFragments.objects.filter(article=article).exists()
    assert found("galls") == ["edited"] and found("lampblack") == []
