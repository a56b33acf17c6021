"""The feeds (publishing.feeds, publishing.json_feed), marked with what they show.

Feed readers poll all day; with its surfaces a feed is kept in the page cache and
reused by the static export until one of its articles, their bylines or tags, the
list it follows or the site's name changes.
"""

from __future__ import annotations

import json as json_module
from collections.abc import Callable

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from broadsheet.content.models import Article, ArticleAuthor
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing import feeds
from broadsheet.publishing.json_feed import json_feed
from broadsheet.publishing.surfaces import (
    ALL_LISTS,
    SITE,
    article_surface,
    row_surface,
    term_surfaces,
)


def _marked(feed: Feed, kind: str | None = None) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, slug: str | None = None) -> HttpResponse:
        if slug is None:
            return cache_surfaces(feed(request), shown_by(feed.items()))
        response = feed(request, slug=slug)
        term = feed.get_object(request, slug)
        surfaces = shown_by(feed.items(term)) | term_surfaces(kind, term.pk)
        return cache_surfaces(response, surfaces)

    return view


def shown_by(items: QuerySet[Article]) -> set[str]:
    """The surfaces of the articles a feed lists, with their bylines and tags."""
    ids = list(items.values_list("pk", flat=True))
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


def json_feed_view(request: HttpRequest) -> HttpResponse:
    """JSON Feed 1.1 of the latest articles."""
    items = feeds.ArticleRssFeed().items()
    body = json_module.dumps(json_feed(items), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/feed+json; charset=utf-8")
    return cache_surfaces(response, shown_by(items))


rss = _marked(feeds.ArticleRssFeed())
atom = _marked(feeds.ArticleAtomFeed())
author_rss = _marked(feeds.AuthorRssFeed(), "author")
author_atom = _marked(feeds.AuthorAtomFeed(), "author")
tag_rss = _marked(feeds.TagRssFeed(), "tag")
tag_atom = _marked(feeds.TagAtomFeed(), "tag")
category_rss = _marked(feeds.CategoryRssFeed(), "category")
category_atom = _marked(feeds.CategoryAtomFeed(), "category")
