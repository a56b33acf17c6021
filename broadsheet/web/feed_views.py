"""The RSS and Atom feeds (publishing.feeds), marked with what they show.

Feed readers poll all day; with its surfaces a feed is kept in the page cache and
reused by the static export until one of its articles, their bylines or tags, the
list of latest articles or the site's name changes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse

from broadsheet.content.models import Article, ArticleAuthor
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing.feeds import ArticleAtomFeed, ArticleRssFeed
from broadsheet.publishing.surfaces import (
    ALL_LISTS,
    SITE,
    article_surface,
    row_surface,
)


def _marked(feed: Feed) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        response = feed(request)
        return cache_surfaces(response, shown_by(feed))

    return view


def shown_by(feed: Feed) -> set[str]:
    """The surfaces of the articles a feed lists, with their bylines and tags."""
    ids = list(feed.items().values_list("pk", flat=True))
    authors = ArticleAuthor.objects.filter(article_id__in=ids).values_list(
        "author_id", flat=True
    )
    tags = Article.tags.through.objects.filter(article_id__in=ids).values_list(
        "tag_id", flat=True
    )
    return {
        SITE,
        ALL_LISTS,
        *map(article_surface, ids),
        *(row_surface("author", pk) for pk in authors),
        *(row_surface("tag", pk) for pk in tags),
    }


rss = _marked(ArticleRssFeed())
atom = _marked(ArticleAtomFeed())
