"""The conditions every search shares, as SQL on the article aliased `a`.

The live rule comes from content.models (live_sql/live_params), so a draft, a
withdrawn article or a scheduled one not yet due is never found, whatever the
index holds. The filters read the content tables themselves (bylines, tags,
categories, citations): a tag added or an author changed counts at once, with
no index row to rewrite.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from broadsheet.content.models import (
    Article,
    ArticleAuthor,
    Author,
    Category,
    Citation,
    Tag,
    live_params,
    live_sql,
)
from broadsheet.discovery.search.query import Filters
from broadsheet.sources.models import Work


@dataclass(frozen=True)
class Where:
    """An SQL condition on `a` and its named parameters."""

    sql: str
    params: dict[str, object]
    # Whether a filter beyond the live rule is set (the fast path has none).
    narrowed: bool = False


def _table(model) -> str:
    return model._meta.db_table


def _exists(join: str, condition: str) -> str:
    return f"EXISTS (SELECT 1 FROM {join} WHERE {condition})"


_BY_AUTHOR = _exists(
    f"{_table(ArticleAuthor)} fa JOIN {_table(Author)} fu ON fu.id = fa.author_id",
    "fa.article_id = a.id AND fu.slug = %(filter_author)s",
)
_IN_TAG = _exists(
    f"{_table(Article.tags.through)} ft JOIN {_table(Tag)} fg ON fg.id = ft.tag_id",
    "ft.article_id = a.id AND fg.slug = %(filter_tag)s",
)
_IN_CATEGORY = _exists(
    f"{_table(Article.categories.through)} fc"
    f" JOIN {_table(Category)} fk ON fk.id = fc.category_id",
    "fc.article_id = a.id AND fk.slug = %(filter_category)s",
)
_CITES = _exists(
    f"{_table(Citation)} fw JOIN {_table(Work)} fx ON fx.id = fw.work_id",
    "fw.article_id = a.id AND fx.key = %(filter_cites)s",
)


def where(filters: Filters, now: datetime.datetime | None = None) -> Where:
    """The live rule at `now` and each filter that is set, joined by AND."""
    conditions = [live_sql("a")]
    params: dict[str, object] = live_params(now)
    for value, condition, name in [
        (filters.author, _BY_AUTHOR, "filter_author"),
        (filters.tag, _IN_TAG, "filter_tag"),
        (filters.category, _IN_CATEGORY, "filter_category"),
        (filters.cites, _CITES, "filter_cites"),
    ]:
        if value:
            conditions.append(condition)
            params[name] = value
    if filters.date_from:
        conditions.append("a.published_at >= %(filter_from)s")
        params["filter_from"] = _start_of(filters.date_from)
    if filters.date_to and filters.date_to < datetime.date.max:
        # Up to the end of that day: before the start of the next.
        conditions.append("a.published_at < %(filter_until)s")
        params["filter_until"] = _start_of(filters.date_to + datetime.timedelta(1))
    return Where(" AND ".join(conditions), params, narrowed=len(conditions) > 1)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
