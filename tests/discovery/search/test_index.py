"""The index changes inside the transaction of a publish, edit or withdrawal."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.discovery.models import SearchDocument
from broadsheet.discovery.search import rebuild_index, search
from broadsheet.publishing.services import (
    PublishRefused,
    publish_article,
    publish_due,
    save_article,
    unpublish_article,
)
from tests.factories import make_article, make_author

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def found(text: str, **kwargs) -> list[str]:
    return [hit.slug for hit in search(text, **kwargs).hits]


def test_a_published_article_is_found_before_its_transaction_commits():
    with transaction.atomic():
        make_article(slug="fresh", body="Gilding the edges of a book.")
        assert found("gilding") == ["fresh"]


def test_a_withdrawal_removes_the_article_at_once():
    article = make_article(slug="gone", body="Marbled endpapers.")
    assert found("marbled") == ["gone"]
    unpublish_article(article)
    assert found("marbled") == []
    assert not SearchDocument.objects.filter(article=article).exists()


def test_an_edit_replaces_the_indexed_text():
    article = make_article(slug="edited", title="Ink", body="Lampblack and oil.")
    article.body = "Oak galls and iron."
    save_article(article)
    assert found("lampblack") == []
    assert found("galls") == ["edited"]


def test_a_rolled_back_publish_leaves_the_index_unchanged():
    article = make_article(slug="steady", body="Sewing the signatures.")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.body = "Rounding and backing the spine."
        save_article(article)
        draft = Article(title="Never", slug="never", body="Headbands of silk.")
        save_article(draft, authors=[make_author()])
        publish_article(draft)
        assert found("headbands") == ["never"]
        raise RuntimeError("the rest of the transaction failed")
    assert found("signatures") == ["steady"]
    assert found("spine") == [] and found("headbands") == []


def test_a_refused_publish_writes_nothing_to_the_index():
    article = Article(title="Broken", slug="broken", body="Text.[^missing]\n")
    with pytest.raises(PublishRefused):
        publish_article(article)
    assert found("broken") == [] and not SearchDocument.objects.exists()


def test_a_draft_is_not_indexed_and_publishing_it_indexes_it():
    article = make_article(
        slug="later", body="Blind tooling.", status=Article.Status.DRAFT
    )
    assert found("tooling") == [] and not SearchDocument.objects.exists()
    publish_article(article)
    assert found("tooling") == ["later"]


def test_a_scheduled_article_is_found_from_its_time_on_without_waiting():
    due = timezone.now() + datetime.timedelta(hours=2)
    make_article(slug="soon", body="Foil stamping.", published_at=due)
    assert found("foil") == []
    later = due + datetime.timedelta(minutes=1)
    assert found("foil", now=later) == ["soon"]


def test_publish_due_keeps_the_article_in_the_index():
    due = timezone.now() + datetime.timedelta(hours=2)
    make_article(slug="flip", body="Edge gilding.", published_at=due)
    later = due + datetime.timedelta(minutes=1)
    assert [a.slug for a in publish_due(now=later)] == ["flip"]
    assert found("gilding", now=later) == ["flip"]
    assert SearchDocument.objects.filter(article__slug="flip").exists()


def test_deleting_an_article_deletes_its_row():
    article = make_article(slug="deleted", body="Half leather.")
    article.delete()
    assert found("leather") == [] and not SearchDocument.objects.exists()


def test_rebuild_index_restores_every_live_article_and_only_those():
    make_article(slug="kept", body="Cloth covers.")
    make_article(slug="draft", body="Cloth drafts.", status=Article.Status.DRAFT)
    SearchDocument.objects.all().delete()
    assert found("cloth") == []
    done = []
    counts = rebuild_index(progress=done.append)
    assert counts["articles_indexed"] == 1 and sum(done) == 1
    assert found("cloth") == ["kept"]


def test_the_index_table_exists_after_migrating_back_and_forth(transactional_db):
    call_command("migrate", "discovery", "zero", verbosity=0)
    call_command("migrate", "discovery", verbosity=0)
    make_article(slug="again", body="Vellum.")
    assert found("vellum") == ["again"]
