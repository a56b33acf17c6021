"""The list pages of the site and when each last changed, for the sitemap.

A list page's lastmod is the newest `updated_at` among the live articles it lists:
one grouped query per kind of list (authors, tags, categories, months, sources),
never one per page, so the section costs the same handful of queries at 10 or
10,000 terms. Only lists holding a live article are named; the others answer 404
or show nothing worth a crawler's visit. Paginated pages beyond the first are
left out: their contents shift with every publish, and crawlers reach them from
the first page's links.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse

from broadsheet.content.models import Article, Citation
from broadsheet.sources.validation import key_problem

# Index pages of terms another part of the site may or may not have (named here
# only when their URL pattern exists).
OPTIONAL_INDEXES = ("web:tag-index", "web:category-index")


@dataclass(frozen=True)
class ListedPage:
    path: str
    lastmod: datetime.datetime


def list_pages() -> list[ListedPage]:
    """Every list page holding a live article, with its newest article change."""
    live = Article.objects.live()
    latest = _latest(live)
    if latest is None:
        return []  # no live article: every list is empty
    pages = [
        ListedPage(reverse(name), latest)
        for name in ["web:home", "web:most-read", "web:author-index", "web:archive"]
    ]
    pages += [ListedPage(path, latest) for path in _optional(OPTIONAL_INDEXES)]
    months = (
        live.annotate(month=TruncMonth("published_at"))  # as the archive index
        .values_list("month")
        .annotate(latest=Max("updated_at"))
        .order_by("month")
    )
    pages += [
        ListedPage(
            reverse("web:archive-month", args=[month.year, month.month]), changed
        )
        for month, changed in months
    ]
    for name, relation in [
        ("web:author", "authors"),
        ("web:category", "categories"),
        ("web:tag", "tags"),
    ]:
        pages += _terms(name, _by(live, f"{relation}__slug"))
    citations = Citation.objects.filter(article__in=live)
    sources_latest = _latest(live.filter(citations__isnull=False))
    if sources_latest is not None:
        pages.append(ListedPage(reverse("web:sources"), sources_latest))
        works = (
            citations.values_list("work__key")
            .annotate(latest=Max("article__updated_at"))
            .order_by("work__key")
        )
        # A key stored before the checks gets no page (web.sources_views.source).
        public = [(key, at) for key, at in works if key_problem(key) is None]
        # reverse() per work: a key may hold characters a path quotes.
        pages += [
            ListedPage(reverse("web:source", kwargs={"key": key}), at)
            for key, at in public
        ]
    return pages


def latest_change() -> datetime.datetime | None:
    """The newest lastmod of list_pages(), in one query: the home page lists every
    live article, so its lastmod, the newest change of any, is the largest."""
    return _latest(Article.objects.live())


def _latest(articles: QuerySet[Article]) -> datetime.datetime | None:
    return articles.aggregate(latest=Max("updated_at"))["latest"]


def _by(live: QuerySet[Article], field: str) -> QuerySet:
    """(value of `field`, newest updated_at) for each value among live articles."""
    return (
        live.filter(**{f"{field}__isnull": False})
        .values_list(field)
        .annotate(latest=Max("updated_at"))
        .order_by(field)
    )


def _terms(
    name: str, rows: Iterable[tuple[str, datetime.datetime]]
) -> list[ListedPage]:
    # One reverse() per kind with a stand-in, as ArticleSitemap does per section:
    # slugs need no quoting.
    mark = "slug-mark"
    pattern = reverse(name, kwargs={"slug": mark})
    return [ListedPage(pattern.replace(mark, value), at) for value, at in rows]


def _optional(names: Iterable[str]) -> list[str]:
    paths = []
    for name in names:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return paths
