"""Run a search: one page of ranked, live hits with highlighted snippets."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString

from broadsheet.content.models import Article, ArticleAuthor, Author, Category
from broadsheet.discovery.models import SearchDocument
from broadsheet.discovery.search import backends, snippets
from broadsheet.discovery.search.filters import where as where_for
from broadsheet.discovery.search.query import Filters, Query, parse_query
from broadsheet.rendering import typeset

# Deep pages cost an OFFSET of that many ranked rows; nobody reads page 500.
MAX_PAGE = 200
PER_PAGE = 10


@dataclass(frozen=True)
class Hit:
    """One article found: what a result shows, title and subtitle highlighted."""

    article_id: int
    slug: str
    title_html: SafeString
    subtitle_html: SafeString
    published_at: datetime.datetime
    authors: list[Author]  # unsaved instances: name and slug, for links
    snippet: snippets.Snippet
    categories: list[Category] = field(default_factory=list)  # name and slug
    reading_minutes: int = 0


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, how many there are in all, and what was asked."""

    query: Query
    filters: Filters
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    # A common query's hits are not all counted: there are more than `total`.
    more: bool = False

    @property
    def asked(self) -> bool:
        """Whether there was anything to search for (words or a filter)."""
        return not (self.query.is_empty and self.filters.is_empty)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def search(
    text: str,
    filters: Filters | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime.datetime | None = None,
) -> SearchResults:
    """Search live articles for `text` (parsed by parse_query, never an error)
    within `filters`; return page `page` of the hits, best first.

    Without words the filters alone list articles, newest first; with neither
    nothing is searched.
    """
    query, filters = parse_query(text), filters or Filters()
    page = min(max(page, 1), MAX_PAGE)
    results = SearchResults(query, filters, page, per_page)
    if not results.asked:
        return results
    backend = backends.for_connection(connection)
    where = where_for(filters, now)
    found = backend.rank(query, where, limit=per_page, offset=(page - 1) * per_page)
    ranked = found.rows
    if not ranked and page > 1:  # past the last page: still say how many there are
        found = backend.rank(query, where, limit=1, offset=0)
    ids = [row.article_id for row in ranked]
    words = backend.hits(query, ids)
    stored = _stored(ids)
    bylines = _bylines(ids)
    kickers = _kickers(ids)
    hits = [
        _hit(
            row, words.get(row.article_id), stored.get(row.article_id), bylines, kickers
        )
        for row in ranked
    ]
    return SearchResults(
        query, filters, page, per_page, found.total, hits, more=found.more
    )


def _hit(
    row: backends.Ranked,
    hits: backends.Hits | None,
    stored: SearchDocument | None,
    bylines: dict[int, list[Author]],
    kickers: _Kickers,
) -> Hit:
    return Hit(
        article_id=row.article_id,
        slug=row.slug,
        title_html=snippets.highlighted(
            typeset(row.title), hits.title if hits else frozenset()
        ),
        subtitle_html=snippets.highlighted(
            typeset(row.subtitle), hits.subtitle if hits else frozenset()
        ),
        published_at=row.published_at,
        authors=bylines[row.article_id],
        snippet=snippets.choose(hits, stored),
        categories=kickers.categories[row.article_id],
        reading_minutes=kickers.minutes.get(row.article_id, 0),
    )


# Raw reads of a page's rows: through the ORM each cost a millisecond, as much
# as ranking a thousand hits (bench/search_latency.py).
STORED_SQL = (
    "SELECT article_id, body, notes, note_starts"
    f" FROM {backends.DOCUMENT} WHERE article_id IN ({{ids}})"
)
BYLINES_SQL = (
    f"SELECT aa.article_id, au.name, au.slug FROM {ArticleAuthor._meta.db_table} aa"
    f" JOIN {Author._meta.db_table} au ON au.id = aa.author_id"
    " WHERE aa.article_id IN ({ids}) ORDER BY aa.article_id, aa.position, aa.id"
)


_IN_SECTIONS = Article.categories.through._meta.db_table
CATEGORIES_SQL = (
    f"SELECT ac.article_id, c.name, c.slug FROM {_IN_SECTIONS} ac"
    f" JOIN {Category._meta.db_table} c ON c.id = ac.category_id"
    " WHERE ac.article_id IN ({ids}) ORDER BY ac.article_id, c.name"
)
MINUTES_SQL = (
    f"SELECT id, reading_minutes FROM {Article._meta.db_table} WHERE id IN ({{ids}})"
)


@dataclass(frozen=True)
class _Kickers:
    """What a result's kicker line shows, as article cards do: its sections and
    its reading time."""

    categories: dict[int, list[Category]]
    minutes: dict[int, int]


def _kickers(article_ids: list[int]) -> _Kickers:
    categories: dict[int, list[Category]] = defaultdict(list)
    if not article_ids:
        return _Kickers(categories, {})
    placeholders, params = backends.id_params(article_ids)
    with connection.cursor() as cursor:
        cursor.execute(CATEGORIES_SQL.format(ids=placeholders), params)
        for article_id, name, slug in cursor.fetchall():
            categories[article_id].append(Category(name=name, slug=slug))
        cursor.execute(MINUTES_SQL.format(ids=placeholders), params)
        minutes = dict(cursor.fetchall())
    return _Kickers(categories, minutes)


def _stored(article_ids: list[int]) -> dict[int, SearchDocument]:
    if not article_ids:
        return {}
    placeholders, params = backends.id_params(article_ids)
    with connection.cursor() as cursor:
        cursor.execute(STORED_SQL.format(ids=placeholders), params)
        return {
            pk: SearchDocument(
                article_id=pk,
                body=body,
                notes=notes,
                note_starts=json.loads(starts) if isinstance(starts, str) else starts,
            )
            for pk, body, notes, starts in cursor.fetchall()
        }


def _bylines(article_ids: list[int]) -> dict[int, list[Author]]:
    authors: dict[int, list[Author]] = defaultdict(list)
    if not article_ids:
        return authors
    placeholders, params = backends.id_params(article_ids)
    with connection.cursor() as cursor:
        cursor.execute(BYLINES_SQL.format(ids=placeholders), params)
        for article_id, name, slug in cursor.fetchall():
            authors[article_id].append(Author(name=name, slug=slug))
    return authors
