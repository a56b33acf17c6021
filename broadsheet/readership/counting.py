"""Record views exactly: one atomic upsert per view, safe across processes."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from broadsheet.content.models import Article
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
    """Add `count` views to an article's total for `day` in one atomic statement.

    INSERT ... ON CONFLICT DO UPDATE is atomic in both SQLite and PostgreSQL, so
    concurrent processes never lose an increment (no read-modify-write in Python).
    """
    day = day or timezone.now().date()
    table = DailyViews._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, day, count) VALUES (%s, %s, %s) "
            f"ON CONFLICT (article_id, day) DO UPDATE SET count = {table}.count + %s",
            [article_id, day, count, count],
        )


def view_count(article: Article) -> int:
    """Return an article's total views."""
    total = DailyViews.objects.filter(article=article).aggregate(total=Sum("count"))
    return total["total"] or 0


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
