"""Old addresses of content moved in from another site: recorded, then answered 301.

An old address is a path (/2019/04/02/locking-a-forme/, /category/printing/) or,
for the home page, one query parameter WordPress answers there (/?p=21,
/?page_id=45, /?cat=3, /?tag=ink, /?author=2, /?attachment_id=31). A redirect to an
article or page follows it to its current address while it is live; one to a
fixed path (a category's page, a feed, a media file) answers as long as it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from broadsheet.content.models import Article, Page
from broadsheet.publishing.models import Redirect
from broadsheet.publishing.surfaces import (
    REDIRECTS,
    SITE,
    article_surface,
    row_surface,
)

MAX_PATH = 500
# The query parameters WordPress answers on its home page with another page; the
# home page reads these (and no other), so the page cache keys on them only.
OLD_QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author")


@dataclass(frozen=True)
class Moved:
    """Where an old address now lives, and the surfaces that answer depends on."""

    url: str
    surfaces: frozenset[str]


def old_path(link: str) -> str | None:
    """The path part of an old permalink, or None when it has none worth keeping
    (the site root, a query-only link such as ?p=21, or one too long)."""
    path = unquote(urlsplit(link).path)  # requests' paths arrive decoded
    if not path or path == "/" or len(path) > MAX_PATH or "\x00" in path:
        return None
    return path


def old_query(key: str, value: object) -> str:
    """The old address of a home-page query link: old_query("p", 21) is "/?p=21"."""
    return f"/?{key}={value}"


def remember(
    link: str, *, article: Article | None = None, page: Page | None = None
) -> None:
    """Send the old permalink `link` to this article or page from now on."""
    path = old_path(link)
    if path is not None:
        remember_at(path, article=article, page=page)


def remember_at(
    old: str, *, article: Article | None = None, page: Page | None = None
) -> None:
    """Send the old address `old` (a path, or old_query()'s) to a row."""
    if not _worth_keeping(old, article, page):
        return
    # update_or_create() without its row lock and savepoint: two queries, not
    # four, per post of an import (the unique old_path still refuses a twin).
    moved = Redirect.objects.filter(old_path=old)
    if not moved.update(article=article, page=page, target_path=""):
        Redirect.objects.create(old_path=old, article=article, page=page)


def remember_many(
    moves: Iterable[tuple[str, Article | None, Page | None]],
) -> None:
    """remember_at() for many old addresses at once (an import's, 500 posts at a
    time): which exist is asked once per chunk, those are updated, the rest
    inserted together; an address given twice goes where the later one says."""
    wanted: dict[str, tuple[Article | None, Page | None]] = {}
    for old, article, page in moves:
        if _worth_keeping(old, article, page):
            wanted[old] = (article, page)
    olds = list(wanted)
    for start in range(0, len(olds), 500):
        chunk = olds[start : start + 500]
        found = Redirect.objects.filter(old_path__in=chunk)
        existing = set(found.values_list("old_path", flat=True))
        for old in existing:
            article, page = wanted[old]
            Redirect.objects.filter(old_path=old).update(
                article=article, page=page, target_path=""
            )
        Redirect.objects.bulk_create(
            Redirect(old_path=old, article=wanted[old][0], page=wanted[old][1])
            for old in chunk
            if old not in existing
        )


def _worth_keeping(old: str, article: Article | None, page: Page | None) -> bool:
    """Whether `old` needs a redirect row: not the row's own address, not too long."""
    target = article.get_absolute_url() if article else page.get_absolute_url()
    return old != target and len(old) <= MAX_PATH


def remember_path(old: str, target: str) -> None:
    """Send the old address `old` to the fixed path `target`."""
    if old == target or not target or len(old) > MAX_PATH or len(target) > MAX_PATH:
        return
    Redirect.objects.update_or_create(
        old_path=old, defaults={"article": None, "page": None, "target_path": target}
    )


def home_query(query: str) -> str | None:
    """The old address a home-page query string names ("/?p=21"), or None.

    The first of OLD_QUERY_KEYS present wins, as in WordPress's own order; any
    other parameter (a tracking tag) is ignored.
    """
    if not query:
        return None
    values = {k: v for k, v in parse_qsl(query) if k in OLD_QUERY_KEYS}
    for key in OLD_QUERY_KEYS:
        value = values.get(key, "").strip()
        if value and len(value) < 200:
            return old_query(key, value)
    return None


def old_queries() -> frozenset[str]:
    """Every old home-page query address ("/?p=21") that has a redirect."""
    rows = Redirect.objects.filter(old_path__startswith="/?")
    return frozenset(rows.values_list("old_path", flat=True))


def find(old: str) -> Moved | None:
    """Where a request for the old address `old` should go, or None."""
    redirect = (
        Redirect.objects.select_related("article", "page").filter(old_path=old).first()
    )
    if redirect is None:
        return None
    url = redirect.target_url()
    if url is None:
        return None
    surfaces = {SITE, REDIRECTS}  # a row changed or deleted retires the answer
    if redirect.article_id:
        surfaces.add(article_surface(redirect.article_id))
    elif redirect.page_id:
        surfaces.add(row_surface("page", redirect.page_id))
    return Moved(url, frozenset(surfaces))


def target_for(path: str) -> str | None:
    """Where a request for `path` should go instead, or None."""
    moved = find(path)
    return moved.url if moved else None
