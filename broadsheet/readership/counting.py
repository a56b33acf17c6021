"""Record views exactly: an atomic database upsert, or a Redis buffer flushed once."""

from __future__ import annotations

import atexit
import datetime
import functools
import logging
import os
import re
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.readership import buffer, spool
from broadsheet.readership.models import DailyViews

logger = logging.getLogger(__name__)

# Self-declared automated clients; a reader's browser never says these words.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|fetch|preview|monitor|curl|wget|python-requests|"
    r"httpx|go-http-client|headless|lighthouse|pingdom|facebookexternalhit",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def is_bot(user_agent: str) -> bool:
    """Tell whether a User-Agent belongs to an automated client (or is missing)."""
    # Cached: readers send a few dozen distinct strings, and searching a browser's
    # 120 characters for these words cost a counted hit 8 µs (a bare hit is 5).
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def record_reader_view(article_id: int, user_agent: str) -> None:
    """Count a GET of an article page, unless a robot made it.

    A view that cannot be kept (a full disk, a read-only database, Redis gone) is
    dropped and logged: the reader's page matters more than its count.
    """
    if is_bot(user_agent):
        return
    try:
        record_view(article_id)
    except Exception as error:  # noqa: BLE001  (nothing here may fail the page)
        _report_uncounted(error)


# At most one log line a minute per process for views that could not be kept: on a
# full disk every reader's view fails, and the log may share that disk.
UNCOUNTED_LOG_SECONDS = 60
_uncounted = {"views": 0, "logged_at": -float("inf")}


def _report_uncounted(error: Exception) -> None:
    _uncounted["views"] += 1
    now = time.monotonic()
    if now - _uncounted["logged_at"] >= UNCOUNTED_LOG_SECONDS:
        logger.error(
            "%d view(s) not counted: %s: %s",
            _uncounted["views"],
            type(error).__name__,
            error,
        )
        _uncounted.update(views=0, logged_at=now)


def record_view(
    article_id: int, *, count: int = 1, day: datetime.date | None = None
) -> None:
    """Add `count` views to an article's total for `day` (default today, UTC).

    With REDIS_URL set the views go to a Redis buffer, otherwise to a spool file
    under var/; either is flushed into the database every few seconds, exactly once.
    BROADSHEET_VIEW_FLUSH_SECONDS=0 writes straight to the database instead.
    """
    day = day or timezone.now().date()
    if settings.BROADSHEET_VIEW_FLUSH_SECONDS <= 0:
        upsert_views([(article_id, day, count)])
        return
    if settings.REDIS_URL:
        buffer.add(article_id, count=count, day=day)
    else:
        spool.add(article_id, count=count, day=day)
    _ensure_flusher()


def upsert_views(rows: list[tuple[int, datetime.date, int]]) -> None:
    """Add (article_id, day, count) rows to DailyViews, one atomic statement each.

    INSERT ... ON CONFLICT DO UPDATE is atomic in both SQLite and PostgreSQL, so
    concurrent processes never lose an increment (no read-modify-write in Python).
    """
    table = DailyViews._meta.db_table
    sql = (
        f"INSERT INTO {table} (article_id, day, count) VALUES (%s, %s, %s) "
        f"ON CONFLICT (article_id, day) DO UPDATE SET count = {table}.count + %s"
    )
    # In one order for every flusher: two workers' batches locking the same rows
    # in the orders their files listed them deadlocked on PostgreSQL.
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a, d, c, c) for a, d, c in sorted(rows)])


def flush_views() -> int:
    """Move buffered or spooled views into the database; return how many."""
    if settings.REDIS_URL:
        return buffer.flush(upsert_views)
    return spool.flush(upsert_views)


def view_count(article: Article | int) -> int:
    """Return an article's (or article id's) views counted in the database.

    Views still in the spool or the Redis buffer are not added: they reach the
    database within BROADSHEET_VIEW_FLUSH_SECONDS (2 s by default), well inside the
    60 s a shown count may lag, and reading every spool file on every page view
    cost more than the rest of the request.
    """
    article_id = article if isinstance(article, int) else article.pk
    with connection.cursor() as cursor:
        # Raw SQL: the ORM's aggregate machinery cost more than the query itself.
        cursor.execute(VIEW_COUNT_SQL, {"article": article_id})
        return int(cursor.fetchone()[0])  # PostgreSQL sums bigints to a Decimal


VIEW_COUNT_SQL = (
    f"SELECT COALESCE(SUM(count), 0) FROM {DailyViews._meta.db_table}"
    " WHERE article_id = %(article)s"  # named: see web.fragments on placeholders
)


def most_read(*, days: int | None = 30, limit: int = 10) -> list[Article]:
    """Return live articles with the most views in the last `days` (None: ever)."""
    rows = DailyViews.objects.filter(article__in=Article.objects.live())
    if days is not None:
        rows = rows.filter(
            day__gte=timezone.now().date() - datetime.timedelta(days=days)
        )
    ranked = (
        rows.values("article").annotate(total=Sum("count")).order_by("-total")[:limit]
    )
    totals = {row["article"]: row["total"] for row in ranked}
    articles = Article.objects.with_bylines().in_bulk(totals)
    ordered = sorted(articles.values(), key=lambda a: (-totals[a.pk], a.title))
    for article in ordered:
        article.period_views = totals[article.pk]
    return ordered


_flusher_lock = threading.Lock()
_flusher_pid = 0


def _ensure_flusher() -> None:
    """Start this process's flusher thread on its first buffered view."""
    global _flusher_pid
    if _flusher_pid == os.getpid():
        return
    with _flusher_lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
        threading.Thread(
            target=_flush_forever, name="view-flusher", daemon=True
        ).start()
        atexit.register(flush_views)


def _flush_forever() -> None:
    while True:
        time.sleep(settings.BROADSHEET_VIEW_FLUSH_SECONDS)
        try:
            flush_views()
        except Exception:  # a locked or lost database: the views wait for next time
            logger.exception("Flushing buffered views failed; will retry.")
        finally:
            close_old_connections()
