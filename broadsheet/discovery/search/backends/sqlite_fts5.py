"""Search on SQLite: an FTS5 table over SearchDocument, ranked by BM25.

The table (migration discovery 0001) tokenizes with ``porter unicode61
remove_diacritics 2``: case and accents folded, English words stemmed
("printing" finds "printed"). The MATCH expression is built here from the
parsed words alone, each phrase a double-quoted FTS5 string, so nothing a
reader types is read as FTS5 syntax (https://sqlite.org/fts5.html#fts5_strings).
"""

from __future__ import annotations

from django.db import connection

from broadsheet.discovery.search.backends import (
    ARTICLE,
    LISTED,
    LISTING_SQL,
    Hits,
    Ranked,
    id_params,
    marked_words,
    ranked_page,
    topk,
)
from broadsheet.discovery.search.filters import Where
from broadsheet.discovery.search.query import Query
from broadsheet.discovery.search.text import HIT_END, HIT_START

FTS = "discovery_search_fts"
# bm25() weights, in the table's column order: title, subtitle, body, notes,
# people (the byline), works cited. A word in the title outweighs many in the body.
WEIGHTS = (10.0, 4.0, 1.0, 0.7, 4.0, 2.0)

# Above this many hits only the newest and those with a hit in the heading are
# scored (backends/topk.py): bm25() costs ~2.3 µs a hit, so about 5 ms. It is
# as many as the pages go to (results.MAX_PAGE of ten).
RANK_LIMIT = 2000
# The heading's columns: hits there are scored even when old (the newest
# RANK_LIMIT of them). Not the subtitle: a sentence, as common as the body.
HEADING = "{title people}"

# bm25() must be read where the FTS5 cursor is (a window function over the join
# would move it out of that context), hence the inner query.
RANK_SQL = (
    f"SELECT {LISTED} FROM (SELECT rowid AS id,"
    f" bm25({FTS}, {', '.join(map(str, WEIGHTS))}) AS score"
    f" FROM {FTS} WHERE {FTS} MATCH %(match)s) m"
    f" JOIN {ARTICLE} a ON a.id = m.id WHERE {{where}}"
    " ORDER BY m.score, a.published_at DESC, a.id DESC"
    " LIMIT %(limit)s OFFSET %(offset)s"
)
# The fast path (backends/topk.py): the index alone, the articles not live yet
# excluded by id. "ORDER BY rowid DESC ... OFFSET" walks the index's list of ids
# without scoring them.
_LIVE_HITS = f"FROM {FTS} WHERE {FTS} MATCH %(match)s AND rowid NOT IN ({{held}})"
COUNT_SQL = f"SELECT count(*) {_LIVE_HITS}"
FLOOR_SQL = f"SELECT rowid {_LIVE_HITS} ORDER BY rowid DESC LIMIT 1 OFFSET %(cut)s"
BEST_SQL = (
    f"SELECT rowid, bm25({FTS}, {', '.join(map(str, WEIGHTS))}) AS score"
    f" {_LIVE_HITS}{{scope}} ORDER BY score, rowid DESC LIMIT %(k)s"
)
# A phrase of several words is matched position by position, and bm25() matches
# each phrase once more over the whole table for its weight: a separate count
# would be one more such pass. So a phrase's hits are scored and counted at once.
EVERY_SQL = (
    "SELECT id, score, count(*) OVER () FROM (SELECT rowid AS id,"
    f" bm25({FTS}, {', '.join(map(str, WEIGHTS))}) AS score {_LIVE_HITS})"
    " ORDER BY score, id DESC LIMIT %(k)s"
)
# Without any hit in the heading, FTS5 seeks straight to the newest hits; the
# OR below walks every hit (~3x slower for a word in every article).
NEWEST_SQL = " AND rowid >= %(floor)s"
ANY_IN_HEADING_SQL = f"SELECT 1 FROM {FTS} WHERE {FTS} MATCH %(heading)s LIMIT 1"
SCOPE_SQL = (
    f" AND (rowid >= %(floor)s OR rowid IN"
    f" (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %(heading)s"
    " ORDER BY rowid DESC LIMIT %(cut)s))"
)

# highlight() of each column the snippets use, in the table's column order
# (title 0, subtitle 1, body 2, notes 3, works 5).
HITS_SQL = (
    "SELECT rowid, "
    + ", ".join(
        f"highlight({FTS}, {column}, %(hit_start)s, %(hit_end)s)"
        for column in (0, 1, 2, 3, 5)
    )
    + f" FROM {FTS} WHERE {FTS} MATCH %(match)s AND rowid IN ({{ids}})"
)


def match_expression(query: Query) -> str:
    """The FTS5 query: every phrase as a quoted string, all of them required."""
    return " AND ".join(
        '"' + " ".join(phrase).replace('"', '""') + '"' for phrase in query.phrases
    )


def heading_expression(query: Query) -> str:
    """The FTS5 query for a hit of any phrase in the heading's columns."""
    return f"{HEADING} : (" + match_expression(query).replace(" AND ", " OR ") + ")"


def rank(
    query: Query, where: Where, *, limit: int, offset: int
) -> tuple[int, list[Ranked]]:
    """One page of live hits, best first (BM25), and how many there are."""
    params = {**where.params, "limit": limit, "offset": offset}
    if query.is_empty:
        return _page(LISTING_SQL.format(where=where.sql), params)
    params["match"] = match_expression(query)

    def exact() -> tuple[int, list[Ranked]]:
        return _page(RANK_SQL.format(where=where.sql), params)

    if where.narrowed:  # filters read the content tables: the exact query
        return exact()
    return topk.rank(
        where,
        limit=limit,
        offset=offset,
        candidates=lambda held, k: _candidates(query, held, k),
        exact=exact,
    )


def _page(sql: str, params: dict) -> tuple[int, list[Ranked]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ranked_page(cursor.fetchall())


def _candidates(query: Query, held: list[int], k: int) -> topk.Candidates:
    """The k best live hits and their count, from the FTS5 table alone."""
    placeholders, params = id_params(held or [0])  # 0 is no article's id
    params |= {"match": match_expression(query), "k": k}
    with connection.cursor() as cursor:
        if query.has_phrase:
            cursor.execute(EVERY_SQL.format(held=placeholders), params)
            rows = cursor.fetchall()
            best = [topk.Scored(pk, score) for pk, score, _ in rows]
            return topk.Candidates(rows[0][2] if rows else 0, best)
        cursor.execute(COUNT_SQL.format(held=placeholders), params)
        (total,) = cursor.fetchone()
        scope = ""
        if total > max(RANK_LIMIT, k):
            cut = max(RANK_LIMIT, k) - 1
            cursor.execute(FLOOR_SQL.format(held=placeholders), params | {"cut": cut})
            (floor,) = cursor.fetchone()
            params |= {"floor": floor, "cut": cut, "heading": heading_expression(query)}
            cursor.execute(ANY_IN_HEADING_SQL, params)
            scope = SCOPE_SQL if cursor.fetchone() else NEWEST_SQL
        cursor.execute(BEST_SQL.format(held=placeholders, scope=scope), params)
        best = [topk.Scored(*row) for row in cursor.fetchall()]
    return topk.Candidates(total, best)


def hits(query: Query, article_ids: list[int]) -> dict[int, Hits]:
    """The words FTS5 matched for `query` in each of these articles' columns."""
    if query.is_empty or not article_ids:
        return {}
    placeholders, params = id_params(article_ids)
    params |= {"match": match_expression(query), "hit_start": HIT_START}
    params["hit_end"] = HIT_END
    with connection.cursor() as cursor:
        cursor.execute(HITS_SQL.format(ids=placeholders), params)
        return {
            row[0]: Hits(*(marked_words(text) for text in row[1:]))
            for row in cursor.fetchall()
        }


def optimize() -> None:
    """Merge the index's b-trees into one after a rebuild (faster queries)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
