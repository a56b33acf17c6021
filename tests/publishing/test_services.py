"""Publishing acts: refusal with line numbers, scheduling, withdrawal, signals."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.publishing import signals
from broadsheet.publishing.services import (
    PublishRefused,
    publish_article,
    publish_due,
    save_article,
    unpublish_article,
)
from tests.factories import make_article, make_author

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BROKEN = "Fine opening.\n\nA dangling reference.[^missing]\n"


@pytest.fixture
def received():
    """Collect (signal name, kwargs) for every publishing signal sent."""
    log = []
    handlers = {}
    for name in ["published", "unpublished", "surfaces_changed"]:

        def handler(sender, _name=name, **kwargs):
            log.append((_name, kwargs))

        handlers[name] = handler
        getattr(signals, name).connect(handler)
    yield log
    for name, handler in handlers.items():
        getattr(signals, name).disconnect(handler)


def test_publish_refuses_article_with_dangling_note_reference_and_writes_nothing():
    article = Article(title="Broken", slug="broken", body=BROKEN)
    with pytest.raises(PublishRefused) as refusal:
        publish_article(article)
    assert "line 3" in str(refusal.value) and "missing" in str(refusal.value)
    assert not Article.objects.filter(slug="broken").exists()


def test_edit_that_breaks_a_live_article_is_refused_and_keeps_the_old_text():
    article = make_article(body="Good text.")
    article.body = BROKEN
    with pytest.raises(PublishRefused):
        save_article(article)
    article.refresh_from_db()
    assert article.body == "Good text." and "Good text." in article.body_html


def test_draft_saves_with_problems_and_returns_them():
    article = Article(title="WIP", slug="wip", body=BROKEN)
    problems = save_article(article)
    assert problems and problems[0].startswith("line 3")
    assert Article.objects.get(slug="wip").render_problems == problems


def test_publish_in_future_schedules_and_publish_due_makes_it_live(received):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    article = make_article(status=Article.Status.DRAFT)
    publish_article(article, at=tomorrow)
    assert article.status == Article.Status.SCHEDULED
    assert not Article.objects.live().filter(pk=article.pk).exists()
    assert publish_due(now=tomorrow + datetime.timedelta(seconds=1)) == [article]
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert ("published", {"signal": signals.published, "article": article}) in received


def test_publish_and_withdraw_send_signals_after_commit(received):
    article = make_article(status=Article.Status.DRAFT)
    received.clear()
    publish_article(article)
    assert [name for name, _ in received] == ["published", "surfaces_changed"]
    assert article.first_published_at is not None
    received.clear()
    unpublish_article(article)
    assert [name for name, _ in received] == ["unpublished", "surfaces_changed"]
    assert not Article.objects.live().filter(pk=article.pk).exists()


def test_publish_refuses_article_without_author_and_writes_nothing():
    article = Article(title="Anonymous", slug="anonymous", body="Plain text.")
    with pytest.raises(PublishRefused) as refusal:
        publish_article(article)
    assert "at least one author" in str(refusal.value)
    assert not Article.objects.filter(slug="anonymous").exists()


def test_withdrawing_the_last_author_of_a_live_article_is_refused():
    article = make_article(title="Kept")
    with pytest.raises(PublishRefused):
        save_article(article, authors=[])
    assert Article.objects.get(pk=article.pk).ordered_authors


def test_publish_refuses_article_whose_render_runs_past_the_budget(settings):
    settings.BROADSHEET_RENDER_BUDGET_SECONDS = 0
    article = Article(title="Slow", slug="slow", body="Plain text.")

    with pytest.raises(PublishRefused) as refusal:
        publish_article(article)

    assert "line 1: rendering took over 0 s" in str(refusal.value)
    assert not Article.objects.filter(slug="slow").exists()


def test_publish_refuses_article_whose_raw_html_swallows_the_rest_of_the_text():
    body = (
        "Opening.\n\nA form: <textarea> and then the argument.\n\n## Later\n\nMore.\n"
    )
    article = Article(title="Swallowed", slug="swallowed", body=body)

    with pytest.raises(PublishRefused) as refusal:
        publish_article(article)

    assert "line 3: <textarea> is never closed" in str(refusal.value)
    assert not Article.objects.filter(slug="swallowed").exists()


def test_publish_goes_ahead_with_warnings_and_returns_them():
    body = 'Opening.\n\nA map: <iframe src="https://example.com/m"></iframe>\n'
    article = Article(title="Mapped", slug="mapped", body=body, status="published")

    problems = save_article(article, authors=[make_author()])

    assert Article.objects.get(slug="mapped").is_live
    assert problems == [
        "line 3: warning: <iframe> is not allowed on pages and is removed "
        "with everything inside it"
    ]


def test_publish_refuses_article_with_an_empty_note_definition():
    body = "A claim.[^1]\n\n[^1]:\n"
    article = Article(title="Empty", slug="empty", body=body)

    with pytest.raises(PublishRefused) as refusal:
        publish_article(article)

    assert "line 3: note [^1] has no text" in str(refusal.value)
