"""Old addresses of content moved in from another site: recorded, then answered 301."""

from __future__ import annotations

from urllib.parse import urlsplit

from broadsheet.content.models import Article, Page
from broadsheet.publishing.models import Redirect

MAX_PATH = 500


def old_path(link: str) -> str | None:
    """The path part of an old permalink, or None when it has none worth keeping
    (the site root, a query-only link such as ?p=21, or one too long)."""
    path = urlsplit(link).path
    if not path or path == "/" or len(path) > MAX_PATH or "\x00" in path:
        return None
    return path


def remember(
    link: str, *, article: Article | None = None, page: Page | None = None
) -> None:
    """Send the old permalink `link` to this article or page from now on."""
    path = old_path(link)
    target = article.get_absolute_url() if article else page.get_absolute_url()
    if path is None or path == target:
        return
    # update_or_create() without its row lock and savepoint: two queries, not
    # four, per post of an import (the unique old_path still refuses a twin).
    if not Redirect.objects.filter(old_path=path).update(article=article, page=page):
        Redirect.objects.create(old_path=path, article=article, page=page)


def target_for(path: str) -> str | None:
    """Where a request for `path` should go instead, or None."""
    redirect = (
        Redirect.objects.select_related("article", "page").filter(old_path=path).first()
    )
    return redirect.target_url() if redirect else None
