"""JSON Feed 1.1 (jsonfeed.org/version/1.1) of the latest live articles.

Written here: the format is one small JSON object, and the Python packages for
it are thin, little-kept wrappers around the same dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from broadsheet.content.models import Article, SiteSettings
from broadsheet.publishing.feeds import full_text
from broadsheet.publishing.site_address import absolute_url

VERSION = "https://jsonfeed.org/version/1.1"


def json_feed(articles: Iterable[Article]) -> dict[str, Any]:
    """The feed object for `articles` (bylines prefetched), every URL absolute."""
    site = SiteSettings.load()
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": site.site_name,
        "home_page_url": absolute_url(reverse("web:home")),
        "feed_url": absolute_url(reverse("web:feed-json")),
        "language": "en",
        "items": [_item(article) for article in articles],
    }
    if site.tagline:
        feed["description"] = site.tagline
    return feed


def _item(article: Article) -> dict[str, Any]:
    url = absolute_url(article.get_absolute_url())
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": article.title,
        "content_html": full_text(article),
        "summary": article.summary,
        "date_published": article.published_at.isoformat(),
        "date_modified": article.updated_at.isoformat(),
        "authors": [
            {"name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.ordered_authors
        ],
        "tags": [tag.name for tag in article.tags.all()],
    }
    return item
