"""Write every article and page as Markdown with YAML front matter, plus a .bib.

The layout is Hugo's (content/posts/ for articles, content/ for pages), so the
folder reads back through `broadsheet import markdown` and opens in Hugo; the
site bibliography goes to bibliography.bib (the sources app's BibTeX writer),
named by each article's `bibliography:` as Pandoc expects.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from broadsheet.content.models import Article, Page, Republication
from broadsheet.migration.frontmatter import dump_yaml
from broadsheet.publishing.models import Redirect
from broadsheet.sources.formats import bibtex
from broadsheet.sources.models import Work

BIBLIOGRAPHY = "bibliography.bib"
ARTICLES = Path("content") / "posts"
PAGES = Path("content")


def export_markdown(
    root: Path, *, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Write the site's articles, pages and works under `root`; return counts.

    Files of the same name are overwritten; nothing else in `root` is touched.
    """
    (root / ARTICLES).mkdir(parents=True, exist_ok=True)
    works = [work.as_csl() for work in Work.objects.all()]
    _write(root / BIBLIOGRAPHY, bibtex.dump(works))
    aliases = _aliases()
    counts = {"articles": 0, "pages": 0, "works": len(works), "redirects": 0}
    done = 0
    articles = (
        Article.objects.with_bylines()
        .select_related("republication")
        .prefetch_related("tags", "categories")
        .order_by("id")
    )
    for article in articles.iterator(chunk_size=200):
        paths = aliases.get(("article", article.pk), [])
        meta = article_meta(article, paths)
        meta["bibliography"] = os.path.relpath(BIBLIOGRAPHY, ARTICLES).replace(
            os.sep, "/"
        )
        _write(root / ARTICLES / f"{article.slug}.md", dump_yaml(meta) + article.body)
        counts["articles"] += 1
        counts["redirects"] += len(paths)
        done += 1
        if progress:
            progress(done)
    for page in Page.objects.order_by("id").iterator(chunk_size=200):
        paths = aliases.get(("page", page.pk), [])
        meta = {"title": page.title, "slug": page.slug, "type": "page"}
        if not page.is_published:
            meta["draft"] = True
        if paths:
            meta["aliases"] = paths
        _write(root / PAGES / f"{page.slug}.md", dump_yaml(meta) + page.body)
        counts["pages"] += 1
        counts["redirects"] += len(paths)
        done += 1
        if progress:
            progress(done)
    return counts


def total() -> int:
    """How many files export_markdown() writes (for a progress bar)."""
    return Article.objects.count() + Page.objects.count()


def article_meta(article: Article, aliases: list[str]) -> dict[str, Any]:
    """The front matter of one article, in the order a reader expects."""
    meta: dict[str, Any] = {"title": article.title}
    if article.subtitle:
        meta["subtitle"] = article.subtitle
    if article.published_at:
        meta["date"] = _time(article.published_at)
    meta["lastmod"] = _time(article.updated_at)
    meta["status"] = article.status
    if article.status not in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
        meta["draft"] = True  # what Hugo reads
    meta["slug"] = article.slug
    if article.excerpt:
        meta["summary"] = article.excerpt
    meta["authors"] = [author.name for author in article.ordered_authors]
    meta["tags"] = [tag.name for tag in article.tags.all()]
    meta["categories"] = [category.name for category in article.categories.all()]
    if aliases:
        meta["aliases"] = aliases
    if article.featured_image_id:
        meta["featured_image"] = f"media:{article.featured_image_id}"
    try:
        republication = article.republication
    except Republication.DoesNotExist:
        republication = None
    if republication is not None:
        meta["republication"] = {
            key: value
            for key, value in {
                "venue": republication.venue,
                "original_title": republication.original_title,
                "volume_issue": republication.volume_issue,
                "date": republication.date.isoformat() if republication.date else "",
                "pages": republication.pages,
                "url": republication.url,
            }.items()
            if value
        }
    return meta


def _aliases() -> dict[tuple[str, int], list[str]]:
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    for path, article_id, page_id in Redirect.objects.order_by("old_path").values_list(
        "old_path", "article_id", "page_id"
    ):
        key = ("article", article_id) if article_id else ("page", page_id)
        found[key].append(path)
    return found


def _time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
