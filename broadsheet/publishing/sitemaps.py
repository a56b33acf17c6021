"""Sitemaps of every live article, list page and static page (django.contrib.sitemaps).

/sitemap.xml is an index of sections: the static pages, the list pages (home,
authors, tags, categories, archives, sources, most read: publishing.list_sitemap),
and one section per block
of ARTICLES_PER_BLOCK article ids that holds a live article. A block's articles
never move to another block, so an edit, publish or withdrawal changes one section
(its surface is publishing.surfaces.article_block_surface) and the static export
re-renders that section alone instead of the whole list (2.5 s at 10,000
articles). Blocks also keep each file far below the protocol's 50,000 URLs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, F, Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from broadsheet.content.models import Article, Page
from broadsheet.publishing import surfaces
from broadsheet.publishing.list_sitemap import ListedPage, latest_change, list_pages
from broadsheet.publishing.site_address import scheme_and_domain

PAGES = "pages"
LISTS = "lists"
SLUG_MARK = "slug-mark"  # any valid slug: reverse() checks it
ARTICLE_SECTION = re.compile(r"articles-(\d+)")


class DatedSitemap(Sitemap):
    """Items with an `updated_at`, which is their lastmod, on the site's address."""

    def get_protocol(self, protocol: str | None = None) -> str:
        # The configured address, not the request's scheme and Host (Django's).
        return scheme_and_domain()[0]

    def get_domain(self, site: object = None) -> str:
        return scheme_and_domain()[1]

    def lastmod(self, item: Article | Page):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, where Django's default reads every item of the section.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def get_urls(self, *args, **kwargs) -> list[dict]:
        """Django's URL entries, each with its `lastmod` day written out for the
        template ("day"): the `date` filter was a third of a section's time."""
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["day"] = timezone.localtime(url["lastmod"]).date().isoformat()
        return urls


class ArticleSitemap(DatedSitemap):
    """The live articles of one block of ids, oldest id first."""

    changefreq = "monthly"

    def __init__(self, block: int, summary: BlockSummary | None = None) -> None:
        self.block = block
        self.summary = summary  # known already when listed in the index
        self.path_pattern: str | None = None
        self.limit = surfaces.ARTICLES_PER_BLOCK  # one file per block

    def get_latest_lastmod(self):
        if self.summary is not None:
            return self.summary.latest
        return super().get_latest_lastmod()

    @property
    def paginator(self):
        pages = super().paginator
        if self.summary is not None:
            pages.count = self.summary.count  # a cached_property: no COUNT query
        return pages

    def items(self) -> QuerySet[Article]:
        size = surfaces.ARTICLES_PER_BLOCK
        return (
            Article.objects.live()
            .filter(pk__gte=self.block * size, pk__lt=(self.block + 1) * size)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def location(self, item: Article) -> str:
        # One reverse() per section, not per article (a third of a section's time).
        if self.path_pattern is None:
            self.path_pattern = reverse("web:article", kwargs={"slug": SLUG_MARK})
        return self.path_pattern.replace(SLUG_MARK, item.slug)


class PageSitemap(DatedSitemap):
    changefreq = "yearly"

    def items(self) -> QuerySet[Page]:
        return Page.objects.filter(is_published=True).only("slug", "updated_at")


class ListPageSitemap(DatedSitemap):
    """The pages listing articles, each dated by the newest change among them."""

    changefreq = "daily"

    def __init__(self) -> None:
        self.entries: list[ListedPage] | None = None

    def items(self) -> list[ListedPage]:
        if self.entries is None:  # the index and the section both ask
            self.entries = list_pages()
        return self.entries

    def location(self, item: ListedPage) -> str:
        return item.path

    def lastmod(self, item: ListedPage):
        return item.lastmod

    def get_latest_lastmod(self):
        # The sitemap index asks only this: not worth computing every entry.
        return latest_change()


class Sections(Mapping):
    """The sitemap's sections by name, read from the database on each use."""

    def __getitem__(self, name: str) -> Sitemap:
        if name == PAGES:
            return PageSitemap()
        if name == LISTS:
            return ListPageSitemap()
        block = block_of(name)
        if block is not None:
            section = ArticleSitemap(block)
            if section.items().exists():
                return section
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield PAGES
        yield LISTS
        for summary in live_blocks():
            yield section_name(summary.block)

    def __len__(self) -> int:
        return 2 + len(live_blocks())

    def items(self) -> Iterator[tuple[str, Sitemap]]:  # type: ignore[override]
        # The index's walk: one grouped query instead of three per section.
        yield PAGES, PageSitemap()
        yield LISTS, ListPageSitemap()
        for summary in live_blocks():
            yield section_name(summary.block), ArticleSitemap(summary.block, summary)


def section_name(block: int) -> str:
    return f"articles-{block}"


def block_of(section: str) -> int | None:
    """The block of article ids a section name stands for; None: not articles."""
    match = ARTICLE_SECTION.fullmatch(section)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class BlockSummary:
    block: int
    count: int
    latest: datetime.datetime


def live_blocks() -> list[BlockSummary]:
    """The blocks of article ids holding live articles: how many, latest change."""
    rows = (
        Article.objects.live()
        .annotate(block=F("pk") / surfaces.ARTICLES_PER_BLOCK)  # integer division
        .values("block")
        .annotate(count=Count("pk"), latest=Max("updated_at"))
        .order_by("block")
    )
    return [BlockSummary(**row) for row in rows]


SITEMAPS = Sections()
