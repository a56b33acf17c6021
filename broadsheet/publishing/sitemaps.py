"""Sitemaps of every live article and static page (django.contrib.sitemaps).

/sitemap.xml is an index of sections: the static pages, and one section per block
of ARTICLES_PER_BLOCK article ids that holds a live article. A block's articles
never move to another block, so an edit, publish or withdrawal changes one section
(its surface is publishing.surfaces.article_block_surface) and the static export
re-renders that section alone instead of the whole list (2.5 s at 10,000
articles). Blocks also keep each file far below the protocol's 50,000 URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, QuerySet

from broadsheet.content.models import Article, Page
from broadsheet.publishing import surfaces

PAGES = "pages"
ARTICLE_SECTION = re.compile(r"articles-(\d+)")


class ArticleSitemap(Sitemap):
    """The live articles of one block of ids, oldest id first."""

    changefreq = "monthly"

    def __init__(self, block: int) -> None:
        self.block = block
        self.limit = surfaces.ARTICLES_PER_BLOCK  # one file per block

    def items(self) -> QuerySet[Article]:
        size = surfaces.ARTICLES_PER_BLOCK
        return (
            Article.objects.live()
            .filter(pk__gte=self.block * size, pk__lt=(self.block + 1) * size)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, where Django's default reads every item of the section.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self) -> QuerySet[Page]:
        return Page.objects.filter(is_published=True).only("slug", "updated_at")

    def lastmod(self, item: Page):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class Sections(Mapping):
    """The sitemap's sections by name, read from the database on each use."""

    def __getitem__(self, name: str) -> Sitemap:
        if name == PAGES:
            return PageSitemap()
        match = ARTICLE_SECTION.fullmatch(name)
        if match and ArticleSitemap(int(match.group(1))).items().exists():
            return ArticleSitemap(int(match.group(1)))
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield PAGES
        for block in live_blocks():
            yield f"articles-{block}"

    def __len__(self) -> int:
        return 1 + len(live_blocks())

    def items(self) -> Iterator[tuple[str, Sitemap]]:  # type: ignore[override]
        # The index's walk: blocks just read need no second look each.
        yield PAGES, PageSitemap()
        for block in live_blocks():
            yield f"articles-{block}", ArticleSitemap(block)


def live_blocks() -> list[int]:
    """The blocks of article ids that hold at least one live article."""
    blocks = (
        Article.objects.live()
        .annotate(block=F("pk") / surfaces.ARTICLES_PER_BLOCK)  # integer division
        .values_list("block", flat=True)
        .distinct()
        .order_by("block")
    )
    return list(blocks)


SITEMAPS = Sections()
