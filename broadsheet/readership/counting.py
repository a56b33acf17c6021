"""Record views exactly: an atomic database upsert, or a Redis buffer flushed once."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.readership import buffer
from broadsheet.readership.models import DailyViews

# Self-declared automated clients; a reader's browser never says these words.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|fetch|preview|monitor|curl|wget|python-requests|"
    r"httpx|go-http-client|headless|lighthouse|pingdom|facebookexternalhit",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Tell whether a User-Agent belongs to an automated client (or is missing)."""
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def record_view(
    article_id: int, *, count: int = 1, day: datetime.date | None = None
) -> None:
    """Add `count` views to an article's total for `day` (default today, UTC).

    With REDIS_URL set the views go to a Redis buffer that is flushed into the
    database within FLUSH_INTERVAL_SECONDS; otherwise straight to the database.
    """
    day = day or timezone.now().date()
    if settings.REDIS_URL:
        buffer.add(article_id, count=count, day=day)
    else:
        upsert_views([(article_id, day, count)])


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
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a, d, c, c) for a, d, c in rows])


def flush_views() -> int:
    """Move buffered views into the database; return how many (0 without Redis)."""
    if not settings.REDIS_URL:
        return 0
    return buffer.flush(upsert_views)


def view_count(article: Article) -> int:
    """Return an article's total views."""
    total = DailyViews.objects.filter(article=article).aggregate(total=Sum("count"))
    stored = total["total"] or 0
    if settings.REDIS_URL:
        today = timezone.now().date()
        yesterday = today - datetime.timedelta(days=1)
        stored += buffer.pending_count(article.pk, [today, yesterday])
    return stored


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
