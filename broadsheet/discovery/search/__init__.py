"""Full-text search over live articles: one interface, a backend per database.

``search()`` answers readers (web.search_views); ``index_article()`` is called
by publishing inside each publish, edit and withdrawal (``index_many()`` once
for bulk work such as an import); ``rebuild_index()`` is
``broadsheet reindex``. SQLite uses FTS5 (backends/sqlite_fts5.py), PostgreSQL
its tsvector full-text search (backends/postgres.py), chosen by the database in
use; the same tests run on both.
"""

from broadsheet.discovery.search.index import (
    index_article,
    index_articles,
    index_many,
    rebuild_index,
)
from broadsheet.discovery.search.query import Filters, Query, parse_query
from broadsheet.discovery.search.results import Hit, SearchResults, search

__all__ = [
    "Filters",
    "Hit",
    "Query",
    "SearchResults",
    "index_article",
    "index_articles",
    "index_many",
    "parse_query",
    "rebuild_index",
    "search",
]
