"""Views buffered in a real Redis server reach the database exactly once."""

import pytest

from broadsheet.readership import buffer, counting
from broadsheet.readership.counting import flush_views, record_view, view_count
from tests.factories import make_article
from tests.readership.readers import record_views_from_threads
from tests.redisserver import running_redis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def redis_url():
    try:
        with running_redis() as url:
            yield url
    except FileNotFoundError as missing:
        pytest.skip(f"Redis not available: {missing}")


@pytest.fixture
def buffered(settings, redis_url, monkeypatch):
    settings.REDIS_URL = redis_url
    settings.BROADSHEET_VIEW_FLUSH_SECONDS = 60
    monkeypatch.setattr(counting, "_ensure_flusher", lambda: None)  # flush by hand
    buffer.client.cache_clear()
    buffer.client().flushdb()
    yield buffer.client()
    buffer.client.cache_clear()


def stored(article) -> int:
    return sum(row.count for row in article.daily_views.all())


def test_buffered_views_from_many_threads_flush_to_an_exact_total(buffered):
    article = make_article()

    record_views_from_threads(article.pk, threads=8, each=50)
    # The shown count is the durable one: it catches up at the next flush.
    assert stored(article) == 0 and view_count(article) == 0
    assert flush_views() == 400
    assert stored(article) == 400 and view_count(article) == 400
    assert flush_views() == 0 and stored(article) == 400


def test_a_batch_left_by_a_crashed_flusher_is_counted_once(buffered):
    article = make_article()
    record_view(article.pk, count=7)
    buffered.rename(buffer.PENDING, buffer.BATCH_PREFIX + "crashed")  # died here
    record_view(article.pk, count=2)
    assert flush_views() == 9
    assert stored(article) == 9


def test_a_batch_already_committed_is_not_counted_again(buffered):
    article = make_article()
    record_view(article.pk, count=5)
    flush_views()
    # A flusher that committed but died before deleting its key leaves the batch.
    batch = buffer.FlushedBatch.objects.get().name
    buffered.hset(buffer.BATCH_PREFIX + batch, f"{article.pk}:2026-01-01", 5)
    assert flush_views() == 0
    assert stored(article) == 5
