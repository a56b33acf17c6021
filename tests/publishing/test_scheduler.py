"""The scheduler: one lease holder at a time, each article published once, and every
page that shows a due article retired from the page cache."""

import datetime
import threading

import pytest
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.publishing import signals
from broadsheet.publishing.models import Lease
from broadsheet.publishing.scheduler import (
    PUBLISH_DUE,
    Scheduler,
    release_lease,
    start_in_background,
    take_lease,
)
from broadsheet.publishing.services import publish_due
from tests.factories import make_article, make_author, make_tag
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def published_signals():
    """Collect the articles of every `published` signal sent."""
    log = []

    def handler(sender, article, **kwargs):
        log.append(article.pk)

    signals.published.connect(handler)
    yield log
    signals.published.disconnect(handler)


def make_scheduled(**fields) -> Article:
    """A scheduled article whose time is an hour away."""
    at = timezone.now() + datetime.timedelta(hours=1)
    return make_article(status=Article.Status.SCHEDULED, published_at=at, **fields)


def make_due(article: Article) -> None:
    """Let the article's time come, as the clock would: no save, no signal."""
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - SECOND)


def test_a_lease_is_refused_to_a_second_holder_while_valid_and_taken_after_expiry():
    now = timezone.now()

    assert take_lease("job", "first", seconds=10, now=now)
    assert not take_lease("job", "second", seconds=10, now=now + 5 * SECOND)
    assert Lease.objects.get(name="job").holder == "first"
    assert take_lease("job", "second", seconds=10, now=now + 10 * SECOND)
    assert Lease.objects.get(name="job").holder == "second"
    assert not take_lease("job", "first", seconds=10, now=now + 11 * SECOND)


def test_the_holder_renews_its_lease_past_the_first_expiry():
    now = timezone.now()
    take_lease("job", "first", seconds=10, now=now)

    assert take_lease("job", "first", seconds=10, now=now + 8 * SECOND)
    assert not take_lease("job", "second", seconds=10, now=now + 12 * SECOND)
    lease = Lease.objects.get(name="job")
    assert lease.expires_at == now + 18 * SECOND


def test_a_released_lease_is_taken_at_once_by_another_holder():
    take_lease("job", "first", seconds=60)
    release_lease("job", "first")

    assert take_lease("job", "second", seconds=60)


def test_leases_of_different_jobs_do_not_exclude_each_other():
    assert take_lease("one job", "first", seconds=60)
    assert take_lease("another job", "second", seconds=60)


def test_publish_due_twice_publishes_once(published_signals):
    article = make_scheduled()
    make_due(article)

    assert [a.pk for a in publish_due()] == [article.pk]
    assert publish_due() == []
    assert published_signals == [article.pk]
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_only_the_lease_holder_publishes_and_a_successor_takes_over_when_it_dies(
    published_signals,
):
    now = timezone.now()
    first, second = Scheduler(holder="first"), Scheduler(holder="second")
    assert first.run_once(now) == []  # takes the lease: nothing due yet
    early = make_scheduled()
    make_due(early)

    assert second.run_once(now + SECOND) == []
    assert Article.objects.get(pk=early.pk).status == Article.Status.SCHEDULED
    assert [a.pk for a in first.run_once(now + SECOND)] == [early.pk]
    # The first holder dies here: it makes no more passes and never renews.
    late = make_scheduled()
    make_due(late)
    assert second.run_once(now + 3 * SECOND) == []  # the lease is still valid
    later = now + datetime.timedelta(seconds=first.lease_seconds + 1)
    assert [a.pk for a in second.run_once(later)] == [late.pk]
    assert Lease.objects.get(name=PUBLISH_DUE).holder == "second"
    assert published_signals == [early.pk, late.pk]


def test_a_restarted_scheduler_publishes_what_came_due_while_it_was_down():
    now = timezone.now()
    before_restart = Scheduler(holder="before restart")
    before_restart.run_once(now)
    before_restart.release()  # a clean stop: the lease ends with the process
    article = make_scheduled()
    make_due(article)

    after_restart = Scheduler(holder="after restart")
    assert [a.pk for a in after_restart.run_once(now + 2 * SECOND)] == [article.pk]
    assert after_restart.run_once(now + 3 * SECOND) == []


def test_a_due_article_appears_on_every_cached_page_after_one_pass():
    ink = make_tag(name="Ink")
    writer = make_author(name="Ada Compositor")
    sibling = make_article(title="Older Piece", tags=[ink], authors=[writer])
    due = make_scheduled(
        title="Hot Metal at Dawn",
        tags=[ink],
        authors=[writer],
    )
    paths = [
        "/",
        "/feed/",
        "/feed/atom/",
        ink.get_absolute_url(),
        writer.get_absolute_url(),
        sibling.get_absolute_url(),  # its related reading
    ]
    warm(*paths)
    make_due(due)
    # Live by the rule now, yet the cached pages, made before, do not show it.
    assert all(is_hit(path) for path in paths)
    assert b"Hot Metal at Dawn" not in request("/")[2]

    published = Scheduler().run_once()

    assert [a.pk for a in published] == [due.pk]
    for path in paths:
        assert b"Hot Metal at Dawn" in request(path)[2], path


def test_a_pass_with_nothing_due_leaves_the_cached_pages_alone():
    make_article(title="Settled")
    make_scheduled()
    warm("/", "/feed/")

    assert Scheduler().run_once() == []
    assert is_hit("/") and is_hit("/feed/")


@pytest.mark.parametrize(
    ("run", "seconds"), [(False, 1.0), (True, 0.0)], ids=["not asked", "turned off"]
)
def test_no_scheduler_thread_starts_unless_asked_for_and_turned_on(
    settings, run, seconds
):
    settings.BROADSHEET_RUN_SCHEDULER = run
    settings.BROADSHEET_SCHEDULER_SECONDS = seconds

    assert start_in_background() is None
    assert "scheduler" not in {thread.name for thread in threading.enumerate()}
