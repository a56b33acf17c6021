"""Search on PostgreSQL: a GIN-indexed tsvector column, ranked by ts_rank_cd.

The column (migration discovery 0001) is generated from SearchDocument's text
with the ``english`` configuration, weighted A (title), B (subtitle, byline),
C (body, works cited) and D (notes). The tsquery is built here from the parsed
words, each phrase bound as a parameter of phraseto_tsquery() and joined with
``&&``: no reader's text is parsed as tsquery syntax, and, unlike
websearch_to_tsquery(), a "-" or "or" typed is a word, not an operator.
"""

from __future__ import annotations

from django.db import connection

from broadsheet.discovery.search.backends import (
    ARTICLE,
    DOCUMENT,
    LISTED,
    LISTING_SQL,
    Hits,
    Ranked,
    id_params,
    ranked_page,
    word_set,
)
from broadsheet.discovery.search.filters import Where
from broadsheet.discovery.search.query import Query
from broadsheet.discovery.search.text import HIT_END, HIT_START

CONFIG = "english"  # as in the migration's generated column
# ts_rank_cd's weights for D, C, B, A; normalization 1 divides by 1 + log(length),
# so a long article's many passing mentions do not bury a short, pointed one.
WEIGHTS = "ARRAY[0.1, 0.2, 0.4, 1.0]::float4[]"
NORMALIZATION = 1
# Every hit marked; only the marked words come back (hits() below).
HIGHLIGHT = f"StartSel={HIT_START}, StopSel={HIT_END}, HighlightAll=true"

RANK_SQL = (
    f"SELECT {LISTED} FROM {DOCUMENT} d JOIN {ARTICLE} a ON a.id = d.article_id"
    " WHERE d.vector @@ ({tsquery}) AND {where}"
    f" ORDER BY ts_rank_cd({WEIGHTS}, d.vector, ({{tsquery}}), {NORMALIZATION})"
    " DESC, a.published_at DESC, a.id DESC LIMIT %(limit)s OFFSET %(offset)s"
)
_MARKED_WORDS = (
    "ARRAY(SELECT DISTINCT m[1] FROM regexp_matches(ts_headline("
    f"'{CONFIG}', d.{{column}}, ({{{{tsquery}}}}), %(highlight)s),"
    " %(marked)s, 'g') AS m)"
)
HITS_SQL = (
    "SELECT d.article_id, "
    + ", ".join(
        _MARKED_WORDS.format(column=column)
        for column in ("title", "subtitle", "body", "notes", "works")
    )
    + f" FROM {DOCUMENT} d WHERE d.vector @@ ({{tsquery}})"
    " AND d.article_id IN ({ids})"
)


def tsquery(query: Query) -> tuple[str, dict[str, str]]:
    """The tsquery expression for `query`, with its parameters."""
    params = {f"phrase{n}": " ".join(words) for n, words in enumerate(query.phrases)}
    sql = " && ".join(f"phraseto_tsquery('{CONFIG}', %({name})s)" for name in params)
    return sql, params


def rank(
    query: Query, where: Where, *, limit: int, offset: int
) -> tuple[int, list[Ranked]]:
    """One page of live hits, best first (ts_rank_cd), and how many there are."""
    params = {**where.params, "limit": limit, "offset": offset}
    if query.is_empty:
        sql = LISTING_SQL.format(where=where.sql)
    else:
        expression, words = tsquery(query)
        sql = RANK_SQL.format(where=where.sql, tsquery=expression)
        params |= words
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ranked_page(cursor.fetchall())


def hits(query: Query, article_ids: list[int]) -> dict[int, Hits]:
    """The words ts_headline() marks for `query` in these articles' columns."""
    if query.is_empty or not article_ids:
        return {}
    placeholders, params = id_params(article_ids)
    expression, words = tsquery(query)
    params |= words | {
        "highlight": HIGHLIGHT,
        "marked": f"{HIT_START}([^{HIT_END}]*){HIT_END}",
    }
    with connection.cursor() as cursor:
        cursor.execute(HITS_SQL.format(tsquery=expression, ids=placeholders), params)
        return {
            row[0]: Hits(*(word_set(found) for found in row[1:]))
            for row in cursor.fetchall()
        }


def optimize() -> None:
    """After a rebuild: merge the GIN index's pending list (a bulk write leaves
    one, and while it is large the planner prefers a scan of every row, 20x
    slower at 2,000 articles) and refresh the planner's statistics."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT gin_clean_pending_list('{DOCUMENT}_vector')")
        cursor.execute(f"ANALYZE {DOCUMENT}")
