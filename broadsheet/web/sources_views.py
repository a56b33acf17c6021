"""Public views of the bibliography: the Sources index, work pages, citation exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from broadsheet.content.models import (
    Article,
    ArticleAuthor,
    Author,
    Citation,
    SiteSettings,
    live_params,
    live_sql,
)
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing.site_address import absolute_url
from broadsheet.publishing.surfaces import (
    ALL_LISTS,
    SITE,
    SOURCES,
    article_surface,
    row_surface,
)
from broadsheet.rendering import citations as csl
from broadsheet.rendering import sanitize
from broadsheet.sources import styles
from broadsheet.sources.formats import bibtex, csljson, ris
from broadsheet.sources.models import Work
from broadsheet.web import snapshot
from broadsheet.web.context_processors import site_context, site_rows
from broadsheet.web.fragments import as_datetime

# An export worker reads every live article's citation data at once after this many
# citation exports: a full export has three per article, an incremental one a few.
READ_ALL_AFTER = 100

EXPORTS = {
    "bib": (bibtex.dump, "application/x-bibtex; charset=utf-8"),
    "ris": (ris.dump, "application/x-research-info-systems; charset=utf-8"),
    "json": (csljson.dump, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def _export(items: list[dict[str, Any]], fmt: str, filename: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such export format.")
    dump, content_type = EXPORTS[fmt]
    response = HttpResponse(dump(items), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    return response


def _live_citations():
    return Citation.objects.filter(article__in=Article.objects.live())


# The orders of the Sources index: paths (/sources/by/year/), not ?sort=, so the
# static export writes each as a file at its own URL (it drops query strings).
# The first is the default, a bibliography's own order.
SOURCE_ORDERS = {
    "author": "Author",
    "title": "Title",
    "year": "Year",
    "cited": "Times cited",
}


def source_index(request: HttpRequest, order: str = "author") -> HttpResponse:
    """List every work cited on the public site, with citing articles and counts,
    sorted by title, author, year or times cited (by live articles only)."""
    if order not in SOURCE_ORDERS or (
        order == "author" and request.path != reverse("web:sources")
    ):
        raise Http404("No such order.")  # /sources/by/author/ is /sources/
    asked = request.GET.get("sort", "")
    if asked in SOURCE_ORDERS and request.path == reverse("web:sources"):
        # A form or a hand-typed ?sort= reaches the same pages as the links.
        return HttpResponseRedirect(_order_url(asked))
    live = _live_citations()
    works = (
        Work.objects.filter(citations__in=live)
        .annotate(
            times_cited=Sum("citations__count"),
            article_count=Count("citations__article", distinct=True),
        )
        .order_by("key")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=live.select_related("article").only(
                    "work_id", "count", "article__slug", "article__title"
                ),
                to_attr="live_citations",
            )
        )
    )
    rows = []
    for work in works:
        articles: dict[int, dict[str, Any]] = {}
        for citation in work.live_citations:
            entry = articles.setdefault(
                citation.article_id, {"article": citation.article, "count": 0}
            )
            entry["count"] += citation.count
        csl_item = work.as_csl()
        rows.append(
            {
                "work": work,
                "articles": list(articles.values()),
                "author": _authors(csl_item),
                "year": _year(csl_item),
            }
        )
    rows.sort(key=_SORT_KEYS[order])
    orders = [
        {
            "name": name,
            "label": label,
            "url": _order_url(name),
            "current": name == order,
        }
        for name, label in SOURCE_ORDERS.items()
    ]
    context = {"rows": rows, "orders": orders, "order": SOURCE_ORDERS[order]}
    response = render(request, "web/source_index.html", context)
    shown = {article_surface(a["article"].pk) for row in rows for a in row["articles"]}
    return cache_surfaces(
        response, {SITE, SOURCES, ALL_LISTS, *shown}, query_params=frozenset({"sort"})
    )


def _order_url(order: str) -> str:
    if order == "author":
        return reverse("web:sources")
    return reverse("web:sources-sorted", kwargs={"order": order})


def _authors(item: dict[str, Any]) -> str:
    """The first names of a CSL item's authors (editors when none), for the index."""
    people = item.get("author") or item.get("editor") or []
    names = []
    for person in people if isinstance(people, list) else []:
        if isinstance(person, dict):
            name = person.get("family") or person.get("literal") or ""
            names.append(str(name))
    names = [name for name in names if name]
    if len(names) > 3:
        return f"{names[0]} et al."
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _year(item: dict[str, Any]) -> int | None:
    try:
        year = item["issued"]["date-parts"][0][0]
        return int(year)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _title_key(row: dict[str, Any]) -> str:
    return (row["work"].title or row["work"].key).casefold()


# Missing authors and years go last; ties fall back to the title.
_SORT_KEYS = {
    "author": lambda row: (
        not row["author"],
        row["author"].casefold(),
        row["year"] or 0,
        _title_key(row),
    ),
    "title": lambda row: (_title_key(row), row["work"].key),
    "year": lambda row: (row["year"] is None, row["year"] or 0, _title_key(row)),
    "cited": lambda row: (-row["work"].times_cited, _title_key(row)),
}


def source(request: HttpRequest, key: str) -> HttpResponse:
    """Show one work, formatted in the site's style, and the passages citing it."""
    work = get_object_or_404(Work, key=key)
    if not work.has_public_key:
        # A key stored before the checks (too long for a file name in the
        # static export, say) gets no page; the Sources index names it unlinked.
        raise Http404("This work has no public page.")
    citations = list(
        _live_citations()
        .filter(work=work)
        .select_related("article")
        .order_by("-article__published_at", "article_id", "id")
    )
    if not citations:
        raise Http404("This work is not cited on the public site.")
    style = styles.style_path(SiteSettings.load().citation_style)
    # The formatter's HTML reaches the page like any other: through the sanitiser.
    entry_html = sanitize.clean(csl.format_entry(str(style), work.as_csl()))
    passages = [
        {
            "article": citation.article,
            "locator": f"{citation.label} {citation.locator}".strip(),
            **passage,
        }
        for citation in citations
        for passage in citation.passages
    ]
    context = {"work": work, "entry_html": entry_html, "passages": passages}
    response = render(request, "web/source_detail.html", context)
    shown = {article_surface(citation.article_id) for citation in citations}
    return cache_surfaces(response, {SITE, SOURCES, ALL_LISTS, *shown})


def bibliography_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Export every work cited on the public site."""
    works = Work.objects.filter(citations__in=_live_citations()).distinct()
    items = [work.as_csl() for work in works.order_by("key")]
    return cache_surfaces(_export(items, fmt, "bibliography"), {SOURCES, ALL_LISTS})


class Byline(NamedTuple):
    pk: int
    name: str


@dataclass(frozen=True)
class CitedArticle:
    """What a citation of an article shows: read with two raw queries, since
    citation exports are most of a static export's URLs and the ORM's query
    building cost more than the rest of such a request."""

    pk: int
    slug: str
    title: str
    published_at: datetime.datetime
    ordered_authors: list[Byline]

    def get_absolute_url(self) -> str:
        return reverse("web:article", kwargs={"slug": self.slug})


def _live_article(request: HttpRequest, slug: str) -> CitedArticle:
    every = snapshot.held(
        request, "cited articles", _every_live_article, after=READ_ALL_AFTER
    )
    found = _one_live_article(slug) if every is None else every.get(slug)
    if found is None:
        raise Http404("No such article.")
    return found


def _one_live_article(slug: str) -> CitedArticle | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_LIVE_SQL} AND a.slug = %(slug)s", {**live_params(), "slug": slug}
        )
        row = cursor.fetchone()
        if row is None:
            return None
        byline = f"{_BYLINE_SQL} WHERE aa.article_id = %s {_BYLINE_ORDER}"
        cursor.execute(byline, [row[0]])
        authors = [Byline(pk, name) for _, pk, name in cursor.fetchall()]
    return CitedArticle(row[0], row[1], row[2], as_datetime(row[3]), authors)


def _every_live_article() -> dict[str, CitedArticle]:
    """Every live article by slug, in two queries (a static export's many exports)."""
    bylines: dict[int, list[Byline]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(f"{_BYLINE_SQL} {_BYLINE_ORDER}")
        for article_id, pk, name in cursor.fetchall():
            bylines[article_id].append(Byline(pk, name))
        cursor.execute(_LIVE_SQL, live_params())
        return {
            slug: CitedArticle(pk, slug, title, as_datetime(published), bylines[pk])
            for pk, slug, title, published in cursor.fetchall()
        }


_LIVE_SQL = (
    f"SELECT a.id, a.slug, a.title, a.published_at FROM {Article._meta.db_table} a"
    f" WHERE {live_sql('a')}"
)
_BYLINE_SQL = (
    f"SELECT aa.article_id, au.id, au.name FROM {ArticleAuthor._meta.db_table} aa"
    f" JOIN {Author._meta.db_table} au ON au.id = aa.author_id"
)
_BYLINE_ORDER = "ORDER BY aa.article_id, aa.position, aa.id"


def article_works_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Export the works one article cites."""
    article = _live_article(request, slug)
    works = (
        Work.objects.filter(citations__article_id=article.pk).distinct().order_by("key")
    )
    items = [work.as_csl() for work in works]
    response = _export(items, fmt, f"{slug}-works-cited")
    return cache_surfaces(response, {SOURCES, article_surface(article.pk)})


def article_csl(request: HttpRequest, article: CitedArticle) -> dict[str, Any]:
    """Describe an article itself as a CSL-JSON item, for "Cite this article"."""
    authors = []
    for author in article.ordered_authors:
        given, _, family = author.name.rpartition(" ")
        name = {"family": family, "given": given} if given else {"literal": family}
        authors.append(name)
    item: dict[str, Any] = {
        "id": article.slug,
        "type": "webpage",
        "title": article.title,
        "container-title": site_context(site_rows(request))["site"].site_name,
        "URL": absolute_url(article.get_absolute_url()),
    }
    if authors:
        item["author"] = authors
    if article.published_at:
        date = article.published_at
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    return item


def article_cite_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Export a citation of the article itself."""
    article = _live_article(request, slug)
    response = _export([article_csl(request, article)], fmt, slug)
    bylines = {row_surface("author", author.pk) for author in article.ordered_authors}
    return cache_surfaces(response, {SITE, article_surface(article.pk), *bylines})
