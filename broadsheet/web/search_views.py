"""The public search page: /search/?q=…&author=…&category=…&tag=…&from=…&to=…&cites=…

One response per query, so it is never marked with cache_surfaces(): the page
cache (pagecache.middleware) keeps only marked responses, and the hot path
(serving.direct) renders only the pages it lists, so every search reaches Django and
reads the index as it is now (a withdrawal is gone from the next search).
Whatever the parameters hold, the page answers 200: bad values are ignored and
said so, and the query itself is parsed by discovery.search, which never fails.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from broadsheet.content.models import Article, Author, Category, Tag
from broadsheet.discovery import search as discovery
from broadsheet.discovery.search.query import MAX_QUERY_CHARS
from broadsheet.sources.models import Work

SLUG_CHARS = 200  # the longest slug or citation key a filter can name


def search(request: HttpRequest) -> HttpResponse:
    """Search live articles; show a page of highlighted, ranked results."""
    notices: list[str] = []
    filters = _filters(request.GET, notices)
    text = shown_text(request.GET.get("q", ""))
    results = discovery.search(
        request.GET.get("q", ""),
        filters,
        page=_page(request.GET.get("page", ""), notices),
        per_page=settings.BROADSHEET_PAGE_SIZE,
    )
    # Only authors and categories with something live to find.
    live = Article.objects.live()
    authors = Author.objects.filter(articles__in=live).distinct()
    categories = Category.objects.filter(articles__in=live).distinct()
    context = {
        "q": text,
        "results": results,
        "filters": filters,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "authors": authors,
        "categories": categories,
        "narrowed_by": _narrowed_by(filters),
        "notices": notices,
    }
    response = render(request, "web/search.html", context)
    response["Cache-Control"] = "no-store"  # per query, and changes with each publish
    response["X-Robots-Tag"] = "noindex"
    return response


def shown_text(text: str) -> str:
    """The query as the search box shows it again: printable characters only."""
    return "".join(ch for ch in text[:MAX_QUERY_CHARS] if ch.isprintable())


def _filters(params: QueryDict, notices: list[str]) -> discovery.Filters:
    slugs = {
        name: params.get(name, "").strip()[:SLUG_CHARS]
        for name in ("author", "category", "tag", "cites")
    }
    dates = {
        name: _date(params.get(name, ""), name, notices) for name in ("from", "to")
    }
    return discovery.Filters(**slugs, date_from=dates["from"], date_to=dates["to"])


def _date(value: str, name: str, notices: list[str]) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        shown = shown_text(value)[:40]
        notices.append(
            f"\u201c{shown}\u201d is not a date (YYYY-MM-DD): the \u201c{name}\u201d"
            " date was ignored."
        )
        return None


def _page(value: str, notices: list[str]) -> int:
    if not value:
        return 1
    try:
        return max(int(value[:6]), 1)
    except ValueError:
        notices.append("That page number is not a number: showing the first page.")
        return 1


def _narrowed_by(filters: discovery.Filters) -> list[str]:
    """The filters in force, as readers read them (names, not slugs)."""
    said = []
    named = [
        ("by", filters.author, Author, "slug", "name"),
        ("in", filters.category, Category, "slug", "name"),
        ("tagged", filters.tag, Tag, "slug", "name"),
        ("citing", filters.cites, Work, "key", "title"),
    ]
    for lead, value, model, key, label in named:
        if value:
            row = model.objects.filter(**{key: value}).first()
            said.append(f"{lead} {getattr(row, label, '') or value}")
    if filters.date_from:
        said.append(f"from {_day(filters.date_from)}")
    if filters.date_to:
        said.append(f"to {_day(filters.date_to)}")
    return said


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"
