"""The search backends, one per database, behind one interface; chosen by vendor.

Each backend module offers the same three functions:

- ``rank(query, where, *, limit, offset)``: a ``Page``: one page of ``Ranked``
  rows, best first, and the number of hits in all (or, for a very common
  query, a number it is known to exceed: backends/topk.py);
- ``hits(query, article_ids)``: each article's ``Hits``: in each column, the
  words (as written) that the database's own matching, stemming included,
  counts as hits;
- ``optimize()``: tidy the index after a rebuild.

The index rows themselves are written the same way on both (discovery.models),
and snippets are built from those stored rows by snippets.py, the same way on
both: a backend only says which words to mark. (PostgreSQL's ts_headline drops
whatever its parser takes for a tag, entity or URL, so its fragments are not the
stored text; the words it marks are.)
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from types import ModuleType

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.dateparse import parse_datetime

from broadsheet.content.models import Article
from broadsheet.discovery.models import SearchDocument
from broadsheet.discovery.search.query import words_of
from broadsheet.discovery.search.text import HIT_END, HIT_START


@dataclass(frozen=True)
class Ranked:
    """One hit of a page of results, with the article's listing fields."""

    article_id: int
    slug: str
    title: str
    subtitle: str
    published_at: datetime.datetime


@dataclass(frozen=True)
class Page:
    """One page of hits, and how many hits there are in all: exactly, or, when
    `more`, more than `total` (a common word's hits are not all counted)."""

    total: int
    rows: list[Ranked]
    more: bool = False


@dataclass(frozen=True)
class Hits:
    """The hit words of each of an article's columns, lowercased."""

    title: frozenset[str]
    subtitle: frozenset[str]
    body: frozenset[str]
    notes: frozenset[str]
    works: frozenset[str]


COLUMNS = ("title", "subtitle", "body", "notes", "works")
# Between the markers of a highlighted text: linear, the markers never nest.
_MARKED = re.compile(f"{HIT_START}([^{HIT_END}]*){HIT_END}")


def marked_words(text: str) -> frozenset[str]:
    """The words between hit markers in a highlighted text, lowercased."""
    return word_set(_MARKED.findall(text))


def word_set(pieces: list[str]) -> frozenset[str]:
    """The words of these pieces of text, lowercased."""
    return frozenset(word for piece in pieces for word in words_of(piece))


ARTICLE = Article._meta.db_table
DOCUMENT = SearchDocument._meta.db_table
LISTED = "a.id, a.slug, a.title, a.subtitle, a.published_at, COUNT(*) OVER ()"
# Without words (filters only): newest first.
LISTING_SQL = (
    f"SELECT {LISTED} FROM {ARTICLE} a JOIN {DOCUMENT} d ON d.article_id = a.id"
    " WHERE {where} ORDER BY a.published_at DESC, a.id DESC"
    " LIMIT %(limit)s OFFSET %(offset)s"
)


def for_connection(connection: BaseDatabaseWrapper) -> ModuleType:
    """Return the backend module for this database connection.

    Raises NotImplementedError naming the vendor when there is none.
    """
    from broadsheet.discovery.search.backends import postgres, sqlite_fts5

    found = {"sqlite": sqlite_fts5, "postgresql": postgres}.get(connection.vendor)
    if found is None:
        raise NotImplementedError(
            f"search has no backend for {connection.vendor} (SQLite or PostgreSQL)"
        )
    return found


def ranked_page(rows: list[tuple]) -> Page:
    """The Page of rows of LISTED columns (the last one the count of hits)."""
    total = rows[0][-1] if rows else 0
    return Page(total, [Ranked(*row[:4], _aware(row[4])) for row in rows])


def _aware(value: datetime.datetime | str) -> datetime.datetime:
    # Raw SQLite rows hold UTC as naive datetimes (or text); PostgreSQL's are aware.
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def id_params(article_ids: list[int]) -> tuple[str, dict[str, int]]:
    """Named placeholders for a list of ids, for an IN (...)."""
    params = {f"id{n}": pk for n, pk in enumerate(article_ids)}
    return ", ".join(f"%({name})s" for name in params), params
