"""View counts from WordPress post meta become an article's starting count."""

from __future__ import annotations

import datetime

from django.db.models import F, Value
from django.db.models.functions import Greatest

from broadsheet.content.models import Article
from broadsheet.migration.models import ImportedItem
from broadsheet.migration.wordpress.records import WxrItem
from broadsheet.readership.counting import upsert_views
from broadsheet.readership.models import DailyViews

# Post meta of the common view-counter plugins (WP-PostViews, and the theme
# snippet most "popular posts" tutorials give).
VIEW_COUNT_KEYS = ("views", "post_views_count")


def view_count(item: WxrItem) -> tuple[int, list[tuple[str, str]]]:
    """Return the post's view count (the largest given) and the unreadable ones."""
    counts, unreadable = [], []
    for key in VIEW_COUNT_KEYS:
        raw = (item.meta_value(key) or "").strip()
        if raw.isascii() and raw.isdigit():
            counts.append(int(raw))
        elif raw:
            unreadable.append((key, raw))
    return max(counts, default=0), unreadable


def keep_views(
    article: Article, imported: ImportedItem, count: int, *, now: datetime.datetime
) -> None:
    """Make `count` the views an import brought to `article`, once.

    The count is added to the article's daily views on its publication day (so
    a lifetime total stays out of the most-read lists of recent days); a re-run
    takes out what the last import added before adding the new count, so views
    counted in Broadsheet since are kept and nothing is counted twice.
    """
    day = min(article.published_at or now, now).date() if count else None
    if (imported.views, imported.views_day) == (count, day):
        return
    if imported.views and imported.views_day:
        DailyViews.objects.filter(article=article, day=imported.views_day).update(
            count=Greatest(F("count") - imported.views, Value(0))
        )
    if count:
        upsert_views([(article.pk, day, count)])
    imported.views, imported.views_day = count, day
    imported.save(update_fields=["views", "views_day"])
