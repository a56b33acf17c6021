"""Which public surfaces show an article, named as cache tags for exact invalidation.

A surface is a string such as "article:12" (anything showing that article's own
fields) or "list:tag:3" (any list whose membership depends on tag 3: the tag page and
the related-reading boxes of articles carrying that tag). Pages record the surfaces
they show; a change bumps the surfaces it affects and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadsheet.content.models import Article

SITE = "site"  # chrome on every page: site settings, footer pages
ALL_LISTS = "list:all"  # home, archives, feeds, sitemap, most read, author index
AUTHOR_INDEX = "list:authors"  # every author's name, on /authors/
SOURCES = "sources"  # any work: the sources pages and bibliography exports
IMAGES = "images"  # which library images live articles show: the image credits page
EVERYTHING = "*"  # a pipeline change: every page may differ
REDIRECTS = "redirects"  # the old addresses of a site moved in (publishing.Redirect)
# The sitemap section of list pages (publishing.sitemaps): their last changes.
LIST_PAGES = "sitemap:lists"
# Every surface name is made here: tests/publishing/test_surfaces.py fails when
# another module builds one by hand.


# Sitemap sections hold the live articles of one block of ids (publishing.sitemaps).
ARTICLES_PER_BLOCK = 1000


def article_surface(article_id: int) -> str:
    return f"article:{article_id}"


def related_surface(article_id: int) -> str:
    """An article's stored "Read more" list (discovery.related): on its page only."""
    return f"related:{article_id}"


def row_surface(kind: str, pk: int) -> str:
    """Anything showing one author's, tag's, category's or page's own fields."""
    return f"{kind}:{pk}"


def list_surface(kind: str, pk: int) -> str:
    """Lists whose membership depends on one author, tag or category."""
    return f"list:{kind}:{pk}"


def term_index_surface(kind: str) -> str:
    """The index of every tag or category (/tags/, /categories/): which terms have
    live articles, and how many."""
    return f"index:{kind}"


def term_surfaces(kind: str, pk: int) -> set[str]:
    """A term's page: its own fields and the list of its articles."""
    return {row_surface(kind, pk), list_surface(kind, pk)}


def article_block_surface(article_id: int) -> str:
    return block_surface(article_id // ARTICLES_PER_BLOCK)


def block_surface(block: int) -> str:
    """The articles whose ids fall in one block (a sitemap section)."""
    return f"articles:{block}"


def with_article_blocks(surfaces: set[str]) -> set[str]:
    """Add to `surfaces` the block of every article among them: whatever changes an
    article's page may change its line in the sitemap. Add the sitemap section of
    list pages too when an article or a term changed: its lastmod dates are the
    newest change of the articles each list shows, and it names every term."""
    blocks = {
        article_block_surface(int(surface.removeprefix("article:")))
        for surface in surfaces
        if surface.startswith("article:")
    }
    if blocks or any(surface.startswith(LISTED_KINDS) for surface in surfaces):
        blocks.add(LIST_PAGES)
    return surfaces | blocks


# Surfaces whose change may change the list pages' sitemap section (beyond articles).
LISTED_KINDS = ("author:", "tag:", "category:", "list:", SOURCES)


@dataclass(frozen=True)
class Placement:
    """Where an article sits in lists: enough to tell whether a change moves it."""

    is_live: bool
    published_at: object
    memberships: frozenset[str]
    is_sticky: bool = False  # the lead of the fronts it is listed on

    @classmethod
    def of(cls, article: Article) -> Placement:
        """Read an article's current placement from the database."""
        if article.pk is None:
            return cls(False, None, frozenset())
        row = (
            Article.objects.filter(pk=article.pk)
            .values("published_at", "sticky")
            .first()
        )
        if row is None:
            return cls(False, None, frozenset())
        memberships = {ALL_LISTS}
        for kind, relation in [
            ("tag", "tags"),
            ("category", "categories"),
            ("author", "authors"),
        ]:
            ids = Article.objects.filter(pk=article.pk).values_list(relation, flat=True)
            memberships |= {list_surface(kind, pk) for pk in ids if pk is not None}
        is_live = Article.objects.live().filter(pk=article.pk).exists()
        return cls(is_live, row["published_at"], frozenset(memberships), row["sticky"])


def changed_surfaces(article_id: int, before: Placement, after: Placement) -> set[str]:
    """Return the surfaces to invalidate when an article moves from before to after.

    An edit that leaves an article's place in every list unchanged touches only the
    pages showing the article itself; a publish, withdrawal, re-dating, re-tagging
    or pinning as lead story also touches every list it left or joined.
    """
    surfaces = {article_surface(article_id)}
    moved = (
        before.is_live != after.is_live
        or before.published_at != after.published_at
        or before.memberships != after.memberships
        or before.is_sticky != after.is_sticky
    )
    if moved and (before.is_live or after.is_live):
        surfaces |= before.memberships | after.memberships
    return surfaces
