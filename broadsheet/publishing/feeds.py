"""RSS and Atom feeds of live articles, whole and per author, tag or category
(django.contrib.syndication), with each article's full text.

Every link is absolute on the configured address: Django would otherwise prefix
relative ones with the request's Host, and a feed cached after one reader's request
is sent to every other. The full text is the stored, sanitised rendering (body,
notes, works cited), as readers see it on the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape

from broadsheet.content.models import Article, Author, Category, SiteSettings, Tag
from broadsheet.publishing.site_address import absolute_url

FEED_LENGTH = 20
# What XML 1.0 cannot carry (its Char production): a control character pasted
# into a title, an excerpt or a name made Django's feed writer raise, and the
# feed of the whole site answered 500 for every reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return `values` with the characters XML cannot carry left out of its text
    (and of lists of text, such as categories)."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return _NOT_XML.sub("", value)
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return type(value)(_NOT_XML.sub("", v) for v in value)
        return value

    return {name: clean(value) for name, value in values.items()}


def full_text(article: Article) -> str:
    """The article's sanitised HTML as the page shows it: body, notes, works cited."""
    return article.body_html + article.notes_html + article.bibliography_html


class FullTextRss(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the whole article in <content:encoded>, the summary in
    <description>, as feed readers expect."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullTextAtom(feedgenerator.Atom1Feed):
    """Atom with the whole article as <content type="html">."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticleRssFeed(Feed):
    """The latest live articles of the whole site."""

    feed_type = FullTextRss
    description_template = None
    url_name = "web:feed-rss"

    def get_feed(self, obj, request) -> feedgenerator.SyndicationFeed:
        """The feed, its text fit for XML whatever writers typed."""
        feed = super().get_feed(obj, request)
        feed.feed = xml_text(feed.feed)
        feed.items = [xml_text(item) for item in feed.items]
        return feed

    def title(self, obj: Model | None = None) -> str:
        name = SiteSettings.load().site_name
        return f"{name}: {obj}" if obj is not None else name

    def description(self, obj: Model | None = None) -> str:
        return SiteSettings.load().tagline

    def link(self, obj: Model | None = None) -> str:
        return absolute_url(obj.get_absolute_url() if obj else reverse("web:home"))

    def feed_url(self, obj: Model | None = None) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute_url(reverse(self.url_name, kwargs=kwargs))

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def items(self, obj: Model | None = None) -> QuerySet[Article]:
        return (
            Article.objects.live().with_bylines().prefetch_related("tags")[:FEED_LENGTH]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # The summary is plain text, but Atom's <summary> says type="html" and
        # RSS readers take <description> as HTML: escaped, markup a writer typed
        # in an excerpt stays words instead of running in the reader.
        return escape(item.summary)

    def item_extra_kwargs(self, item: Article) -> dict[str, str]:
        return {"content_html": full_text(item)}

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.name for author in item.ordered_authors)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class AtomMixin:
    feed_type = FullTextAtom

    def subtitle(self, obj: Model | None = None) -> str:
        return SiteSettings.load().tagline


class ArticleAtomFeed(AtomMixin, ArticleRssFeed):
    url_name = "web:feed-atom"


class TermRssFeed(ArticleRssFeed):
    """The latest live articles of one author, tag or category (`model`)."""

    model: type[Model] = Author
    lookup = "authors"

    def get_object(self, request, slug: str) -> Model:
        return get_object_or_404(self.model, slug=slug)

    def items(self, obj: Model) -> QuerySet[Article]:
        return (
            Article.objects.live()
            .filter(**{self.lookup: obj})
            .with_bylines()
            .prefetch_related("tags")[:FEED_LENGTH]
        )


def term_feeds(model: type[Model], lookup: str, name: str) -> tuple[Feed, Feed]:
    """The RSS and Atom feed classes of one kind of term, routed as web:NAME-feed-*."""
    rss = type(
        f"{model.__name__}RssFeed",
        (TermRssFeed,),
        {"model": model, "lookup": lookup, "url_name": f"web:{name}-feed-rss"},
    )
    atom = type(
        f"{model.__name__}AtomFeed",
        (AtomMixin, rss),
        {"url_name": f"web:{name}-feed-atom"},
    )
    return rss, atom


AuthorRssFeed, AuthorAtomFeed = term_feeds(Author, "authors", "author")
TagRssFeed, TagAtomFeed = term_feeds(Tag, "tags", "tag")
CategoryRssFeed, CategoryAtomFeed = term_feeds(Category, "categories", "category")
