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
    Page,
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

# Above this many hits a query is answered as a common one (backends/topk.py):
# its newest RANK_LIMIT hits are scored, ~2.3 µs a hit with bm25(), so about
# 5 ms. It is as many as the pages go to (results.MAX_PAGE of ten).
RANK_LIMIT = 2000
# The heading alone (migration discovery 0006): title and byline, weighted as
# in the main table.
HEADING_FTS = "discovery_search_heading_fts"
HEADING_WEIGHTS = (WEIGHTS[0], WEIGHTS[4])

_SCORE = f"bm25({FTS}, {', '.join(map(str, WEIGHTS))})"
# bm25() must be read where the FTS5 cursor is (a window function over the join
# would move it out of that context), hence the inner query.
RANK_SQL = (
    f"SELECT {LISTED} FROM (SELECT rowid AS id, {_SCORE} AS score"
    f" FROM {FTS} WHERE {FTS} MATCH %(match)s) m"
    f" JOIN {ARTICLE} a ON a.id = m.id WHERE {{where}}"
    " ORDER BY m.score, a.published_at DESC, a.id DESC"
    " LIMIT %(limit)s OFFSET %(offset)s"
)
# The fast path (backends/topk.py): the index alone, the articles not live yet
# excluded by id. "ORDER BY rowid DESC" walks the index's list of ids from the
# newest, without scoring: 2,000 hits in about a millisecond.
_LIVE_HITS = f"FROM {FTS} WHERE {FTS} MATCH %(match)s AND rowid NOT IN ({{held}})"
NEWEST_SQL = f"SELECT rowid {_LIVE_HITS} ORDER BY rowid DESC LIMIT %(walk)s"
BEST_SQL = (
    f"SELECT rowid, {_SCORE} AS score {_LIVE_HITS}"
    " ORDER BY score, rowid DESC LIMIT %(k)s"
)
# The newest hits of a common query, scored. bm25() weighs each phrase by how
# many rows hold it, and for a phrase of several words that means matching it,
# position by position, over the whole table (70 ms for one in half of 100,000
# articles); each word's count is read straight from its list. So a phrase's
# newest hits are scored by its words, and those holding the phrase kept.
SCORED_SQL = (
    f"SELECT rowid, {_SCORE} FROM {FTS}"
    f" WHERE {FTS} MATCH %(scoring)s AND rowid >= %(floor)s"
)
HEADING_SQL = (
    f"SELECT rowid, bm25({HEADING_FTS}, {', '.join(map(str, HEADING_WEIGHTS))})"
    f" AS score FROM {HEADING_FTS} WHERE {HEADING_FTS} MATCH %(heading)s"
    " AND rowid NOT IN ({held}) ORDER BY score, rowid DESC LIMIT %(room)s"
)
# Which of these ids hold the whole query (the heading table knows only the
# heading's words). ~17 µs an id: FTS5 seeks each one.
WHOLE_SQL = (
    f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %(match)s AND rowid IN ({{ids}})"
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


def any_phrase_expression(query: Query) -> str:
    """The FTS5 query for a hit of any of the query's phrases."""
    return match_expression(query).replace(" AND ", " OR ")


def words_expression(query: Query) -> str:
    """The FTS5 query for every word of the query, phrases or not."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in query.words)


def rank(query: Query, where: Where, *, limit: int, offset: int) -> Page:
    """One page of live hits, best first (BM25), and how many there are."""
    params = {**where.params, "limit": limit, "offset": offset}
    if query.is_empty:
        return _page(LISTING_SQL.format(where=where.sql), params)
    params["match"] = match_expression(query)

    def exact() -> Page:
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


def _page(sql: str, params: dict) -> Page:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ranked_page(cursor.fetchall())


def _candidates(query: Query, held: list[int], k: int) -> topk.Candidates:
    """The k best live hits and their count, from the FTS5 tables alone."""
    placeholders, params = id_params(held or [0])  # 0 is no article's id
    cut = max(RANK_LIMIT, k)
    params |= {"match": match_expression(query), "k": k, "walk": cut + 1}
    with connection.cursor() as cursor:
        cursor.execute(NEWEST_SQL.format(held=placeholders), params)
        newest = [pk for (pk,) in cursor.fetchall()]
        if len(newest) <= cut:  # every hit: score them all
            cursor.execute(BEST_SQL.format(held=placeholders), params)
            best = [topk.Scored(*row) for row in cursor.fetchall()]
            return topk.Candidates(len(newest), best)
        heading = _heading_hits(cursor, query, placeholders, params)
        newest_best = _newest_best(cursor, query, newest[:cut], k + len(heading))
    return topk.common(cut, heading, newest_best, k)


def _heading_hits(cursor, query: Query, held: str, params: dict) -> list[topk.Scored]:
    """The best hits with a phrase in the heading (by the heading's score), best
    first: twice as many as asked for are read, those holding the whole query
    kept."""
    room = params | {"heading": any_phrase_expression(query), "room": 2 * params["k"]}
    cursor.execute(HEADING_SQL.format(held=held), room)
    found = [topk.Scored(*row) for row in cursor.fetchall()]
    if not found:
        return []
    placeholders, ids = id_params([scored.article_id for scored in found])
    cursor.execute(WHOLE_SQL.format(ids=placeholders), ids | {"match": params["match"]})
    whole = {pk for (pk,) in cursor.fetchall()}
    return [scored for scored in found if scored.article_id in whole]


def _newest_best(
    cursor, query: Query, newest: list[int], limit: int
) -> list[topk.Scored]:
    """The `limit` best of the `newest` hits, best first (then the newest id)."""
    # A phrase by its words (SCORED_SQL says why); the words are the query.
    scoring = words_expression(query) if query.has_phrase else match_expression(query)
    cursor.execute(SCORED_SQL, {"floor": newest[-1], "scoring": scoring})
    wanted = set(newest)
    scored = [topk.Scored(pk, score) for pk, score in cursor.fetchall() if pk in wanted]
    return sorted(scored, key=lambda hit: (hit.score, -hit.article_id))[:limit]


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
    """Merge the indexes' b-trees into one after a rebuild (faster queries)."""
    with connection.cursor() as cursor:
        for table in (FTS, HEADING_FTS):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
