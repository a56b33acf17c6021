"""Search on PostgreSQL: a GIN-indexed tsvector column, ranked by ts_rank_cd.

Without filters, ranking runs in SearchDocument alone (backends/topk.py); above
RANK_LIMIT hits a query is answered as a common one: only the newest are scored
(ts_rank_cd reads each hit's whole, toasted tsvector, ~10 µs a hit), after the
hits in the heading, which its own stored column and GIN index find (discovery
0008). The newest hits are found in windows of ids (discovery 0007, 0010). A
phrase is found by its pairs of neighbouring words (discovery 0009): GIN keeps
no positions, and checking a phrase's order reads each candidate's vector.

The column (migration discovery 0001) is generated from SearchDocument's text
with the ``english`` configuration, weighted A (title), B (subtitle, byline),
C (body, works cited) and D (notes). The tsquery is built here from the parsed
words, each phrase bound as a parameter of phraseto_tsquery() and joined with
``&&``: no reader's text is parsed as tsquery syntax, and, unlike
websearch_to_tsquery(), a "-" or "or" typed is a word, not an operator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db import connection, transaction

from broadsheet.discovery.search.backends import (
    ARTICLE,
    COLUMNS,
    DOCUMENT,
    LISTED,
    LISTING_SQL,
    Hits,
    Page,
    id_params,
    ranked_page,
    topk,
)
from broadsheet.discovery.search.filters import Where
from broadsheet.discovery.search.query import Query, words_of

CONFIG = "english"  # as in the migration's generated column
# ts_rank_cd's weights for D, C, B, A; normalization 1 divides by 1 + log(length),
# so a long article's many passing mentions do not bury a short, pointed one.
WEIGHTS = "ARRAY[0.1, 0.2, 0.4, 1.0]::float4[]"
NORMALIZATION = 1
RANK_SQL = (
    f"SELECT {LISTED} FROM {DOCUMENT} d JOIN {ARTICLE} a ON a.id = d.article_id"
    " WHERE {match} AND {where}"
    f" ORDER BY ts_rank_cd({WEIGHTS}, d.vector, ({{tsquery}}), {NORMALIZATION})"
    " DESC, a.published_at DESC, a.id DESC LIMIT %(limit)s OFFSET %(offset)s"
)
# 300, not SQLite's 2,000: scoring reads each vector (the module's docstring),
# about 5 ms for 500 in memory. At 100,000 articles on two cores, 1,000 put 2
# and 3 words over 30 ms p95, and so did 500 when the machine was slower; 300
# took a fifth off every kind's p95 (decision 0012, stop 31).
RANK_LIMIT = 300
_RANK = f"ts_rank_cd({WEIGHTS}, d.vector, ({{tsquery}}), {NORMALIZATION})"
_LIVE_HITS = f"FROM {DOCUMENT} d WHERE {{match}} AND d.article_id NOT IN ({{held}})"
# The newest hits, by id, without ranking them (backends/topk.py): those in a
# window of the newest ids, which the GIN index over (vector, word_pairs,
# article_id / 256) matches inside the index (migrations discovery 0007, 0009).
# GIN keeps no order, so without the window every hit would be visited. The
# window starts at a block of ID_BLOCK ids (one index key a block, not one an
# id); the bound is cast to bigint, the ids' type (settings.DEFAULT_AUTO_FIELD):
# btree_gin has no operator comparing a bigint with an integer, and without one
# the window would be a filter over every hit.
ID_BLOCK = 256  # as indexed by discovery 0007 and 0009
HEADING_BLOCK = 1024  # as indexed by discovery 0010


def _from_block_of(param: str, block: int = ID_BLOCK) -> str:
    """The condition: ids from the block of the id in parameter `param` on."""
    return f" AND d.article_id / {block} >= %({param})s::bigint / {block}"


NEWEST_SQL = (
    f"SELECT d.article_id {_LIVE_HITS}{{window}}"
    " ORDER BY d.article_id DESC LIMIT %(walk)s"
)
TOP_ID_SQL = f"SELECT max(article_id) FROM {DOCUMENT}"
# The first window holds twice as many ids as hits wanted; each next one is
# as wide as the hits found so far say it must be (_growth()), until it holds
# every id: widening by a fixed 8 times could read 6 times the hits needed, and
# for a phrase of three words each hit's vector is read to check the order. A
# window of every id is no condition: the index would read each block's key,
# 100,000 ids' worth (3 ms), to keep them all.
WINDOW_GROWTH = 8
# For a word in most articles the planner prefers reading every row (or every
# row backwards by id) to the GIN index, not counting that each row's vector is
# toasted: 345 ms against 37 ms for the count of a word in 7,545 of 10,000
# articles. The index answers a word without reading the vectors.
# Nor are parallel workers worth starting for one search's few milliseconds.
# (SET LOCAL: until this transaction ends; a planner setting, results the same.)
PLAN_FROM_THE_INDEX = [
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_indexscan = off",
    "SET LOCAL max_parallel_workers_per_gather = 0",
]
# Lower is better in topk.Scored, as with BM25: hence the minus.
BEST_SQL = (
    f"SELECT d.article_id, -{_RANK} AS score {_LIVE_HITS}{{scope}}"
    " ORDER BY score, d.article_id DESC LIMIT %(k)s"
)
# The window from the floor's block (in the index), then the floor itself.
NEWEST_SCOPE = _from_block_of("floor") + " AND d.article_id >= %(floor)s"
# A common query's hits with a phrase in the heading (title and byline; not the
# subtitle, a sentence as common as the body), ranked by the heading alone. A
# byline's name is in the heading of each of its author's articles, so these
# can be thousands too (ranking 13,745 took 25 ms): only the newest cut are
# ranked, found in windows of ids as the body's are (the heading's GIN index
# holds the id's block too: discovery 0010). Twice as many as asked for are
# read, and those holding the whole query kept (checking a hit's vector reads
# it from TOAST, ~5 µs).
_HEADING_HITS = (
    f"FROM {DOCUMENT} d WHERE d.heading @@ ({{heading}})"
    " AND d.article_id NOT IN ({held})"
)
HEADING_NEWEST_SQL = (
    f"SELECT d.article_id {_HEADING_HITS}{{window}}"
    " ORDER BY d.article_id DESC LIMIT %(walk)s"
)
HEADING_SQL = (
    "SELECT h.article_id, h.score FROM (SELECT d.article_id,"
    f" -ts_rank_cd(d.heading, ({{heading}}), {NORMALIZATION}) AS score"
    f" {_HEADING_HITS} AND d.article_id >= %(floor)s"
    " ORDER BY score, d.article_id DESC LIMIT %(room)s) h"
    f" JOIN {DOCUMENT} d ON d.article_id = h.article_id"
    " WHERE {match} ORDER BY h.score, h.article_id DESC"
)
# Each word's lexemes, by the same configuration as the index: which words of
# the shown articles are hits (hits() below).
LEXEMES_SQL = (
    "SELECT w, ARRAY(SELECT lexeme FROM unnest(to_tsvector("
    f"'{CONFIG}', w))) FROM unnest(%(words)s::text[]) AS w"
)
# Each phrase's word pairs (discovery 0009) and how many words it has there.
PAIRS_SQL = (
    "SELECT broadsheet_word_pairs(v),"
    " (SELECT count(*) FROM unnest(v) AS l, unnest(l.positions))"
    " FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS p(t, n),"
    f" to_tsvector('{CONFIG}', t) AS v ORDER BY n"
)
TEXTS_SQL = (
    f"SELECT article_id, {', '.join(COLUMNS)} FROM {DOCUMENT}"
    " WHERE article_id IN ({ids})"
)


class Match(NamedTuple):
    """A query in SQL: the condition on `d` of a hit, the tsquery that ranks
    hits, the tsquery of a heading holding any of its phrases, and the
    parameters of all three."""

    condition: str
    tsquery: str
    heading: str
    params: dict[str, object]


def matching(query: Query) -> Match:
    """`query` in SQL (Match).

    Each phrase's word pairs (discovery 0009) are looked up in their GIN index,
    which reads no row's vector. A phrase of two words is exactly its pair; a
    longer one must also pass @@, which reads each candidate's vector (from
    TOAST, ~13 µs) to check the order; so must a single word, which is not in
    any pair but which @@ finds from the GIN index alone.
    """
    phrases = {f"phrase{n}": " ".join(words) for n, words in enumerate(query.phrases)}
    pairs, paired = _word_pairs(phrases)
    checked = [name for name in phrases if name not in paired]
    conditions = [f"d.vector @@ ({_joined(checked)})"] if checked else []
    params: dict[str, object] = dict(phrases)
    if pairs:
        conditions.append("d.word_pairs @> %(word_pairs)s::int8[]")
        params["word_pairs"] = pairs
    return Match(
        condition=" AND ".join(conditions),
        tsquery=_joined(phrases),
        heading=_joined(phrases, " || "),
        params=params,
    )


def _joined(names: Iterable[str], operator: str = " && ") -> str:
    """The tsquery of the phrases in these parameters, joined by `operator`."""
    return operator.join(f"phraseto_tsquery('{CONFIG}', %({name})s)" for name in names)


def _word_pairs(phrases: dict[str, str]) -> tuple[list[int], set[str]]:
    """The phrases' word pairs, by the index's own function, and the names of
    the phrases that are one pair: two words, stopwords aside."""
    named = {name: text for name, text in phrases.items() if " " in text}
    if not named:
        return [], set()
    with connection.cursor() as cursor:
        cursor.execute(PAIRS_SQL, {"texts": list(named.values())})
        found = cursor.fetchall()
    pairs: set[int] = set()
    paired = set()
    for name, (hashes, positions) in zip(named, found, strict=True):
        pairs.update(hashes)
        if positions == 2:
            paired.add(name)
    return sorted(pairs), paired


def rank(query: Query, where: Where, *, limit: int, offset: int) -> Page:
    """One page of live hits, best first (ts_rank_cd), and how many there are."""
    params = {**where.params, "limit": limit, "offset": offset}
    if query.is_empty:
        return _page(LISTING_SQL.format(where=where.sql), params)
    match = matching(query)
    params |= match.params

    def exact() -> Page:
        sql = RANK_SQL.format(
            where=where.sql, match=match.condition, tsquery=match.tsquery
        )
        return _page(sql, params)

    if where.narrowed:  # filters read the content tables: the exact query
        return exact()
    return topk.rank(
        where,
        limit=limit,
        offset=offset,
        candidates=lambda held, k: _candidates(match, held, k),
        exact=exact,
    )


def _page(sql: str, params: dict) -> Page:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ranked_page(cursor.fetchall())


def _candidates(match: Match, held: list[int], k: int) -> topk.Candidates:
    """The k best live hits and their count, from SearchDocument alone."""
    placeholders, params = id_params(held or [0])  # 0 is no article's id
    cut = max(RANK_LIMIT, k)
    params |= match.params | {"k": k, "walk": cut + 1}

    def sql(template: str, **parts: str) -> str:
        return template.format(
            match=match.condition, tsquery=match.tsquery, held=placeholders, **parts
        )

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TOP_ID_SQL)  # before the settings: the primary key's
        (top,) = cursor.fetchone()
        for setting in PLAN_FROM_THE_INDEX:
            cursor.execute(setting)
        newest = _newest(
            cursor, lambda window: sql(NEWEST_SQL, window=window), params, top, cut
        )
        if len(newest) <= cut:  # every hit: score them all
            cursor.execute(sql(BEST_SQL, scope=""), params)
            best = [topk.Scored(pk, float(score)) for pk, score in cursor.fetchall()]
            return topk.Candidates(len(newest), best)
        heading = _heading_hits(cursor, sql, match.heading, params, top, cut)
        newer = params | {"floor": newest[cut - 1], "k": k + len(heading)}
        cursor.execute(sql(BEST_SQL, scope=NEWEST_SCOPE), newer)
        rest = [topk.Scored(pk, float(score)) for pk, score in cursor.fetchall()]
    return topk.common(cut, heading, rest, k)


def _heading_hits(
    cursor, sql: Callable[..., str], heading: str, params: dict, top: int, cut: int
) -> list[topk.Scored]:
    """A common query's best hits in the heading, of its newest `cut` there."""
    newest = _newest(
        cursor,
        lambda window: sql(HEADING_NEWEST_SQL, heading=heading, window=window),
        params,
        top,
        cut,
        block=HEADING_BLOCK,
    )[:cut]
    if not newest:
        return []
    cursor.execute(
        sql(HEADING_SQL, heading=heading),
        params | {"floor": newest[-1], "room": 2 * params["k"]},
    )
    return [topk.Scored(pk, float(score)) for pk, score in cursor.fetchall()]


def _newest(
    cursor,
    newest_sql: Callable[[str], str],
    params: dict,
    top: int | None,
    cut: int,
    block: int = ID_BLOCK,
) -> list[int]:
    """The newest cut + 1 hits' ids (all of them if there are fewer), newest
    first, from ever wider windows of the ids below `top`, the highest.

    `newest_sql` gives the query for a window's condition on the ids ("" for
    every id); the index holds the id's `block`."""
    if top is None:
        return []
    width = 2 * cut
    while (start := top - width) > 0:
        window = _from_block_of("window_start", block)
        cursor.execute(newest_sql(window), params | {"window_start": start})
        newest = [pk for (pk,) in cursor.fetchall()]
        if len(newest) > cut:
            return newest
        width *= _growth(len(newest), cut)
    cursor.execute(newest_sql(""), params)
    return [pk for (pk,) in cursor.fetchall()]


def _growth(found: int, cut: int) -> int:
    """How many times wider the next window is: wide enough for cut + 1 hits,
    and half as many again, at the density of the `found` so far; at least
    twice as wide, and WINDOW_GROWTH times if none were found."""
    if not found:
        return WINDOW_GROWTH
    return max(2, math.ceil(1.5 * (cut + 1) / found))


def hits(query: Query, article_ids: list[int]) -> dict[int, Hits]:
    """The words of these articles' columns that are hits for `query`: those
    whose lexemes (to_tsvector, the index's own stemming) are the query's.

    ts_headline() did this by parsing each article whole, ~1 ms an article;
    here the database stems only the distinct words that could be hits.
    Snowball's English stemmer changes only a word's ending, so a word and its
    stem start with the same letter: the words asked about are those starting
    as some query word does.
    """
    if query.is_empty or not article_ids:
        return {}
    placeholders, params = id_params(article_ids)
    with connection.cursor() as cursor:
        cursor.execute(TEXTS_SQL.format(ids=placeholders), params)
        texts = {
            pk: [frozenset(words_of(text)) for text in columns]
            for pk, *columns in cursor.fetchall()
        }
        sought = set(query.words)
        initials = {word[0] for word in sought}
        asked = sought | {
            word
            for columns in texts.values()
            for words in columns
            for word in words
            if word[0] in initials
        }
        cursor.execute(LEXEMES_SQL, {"words": sorted(asked)})
        lexemes = {word: set(found) for word, found in cursor.fetchall()}
    wanted = set().union(*(lexemes[word] for word in sought))
    hit_words = frozenset(word for word in asked if lexemes[word] & wanted)
    return {
        pk: Hits(*(words & hit_words for words in columns))
        for pk, columns in texts.items()
    }


def optimize() -> None:
    """After a rebuild: merge the GIN index's pending list (a bulk write leaves
    one, and while it is large the planner prefers a scan of every row, 20x
    slower at 2,000 articles) and refresh the planner's statistics."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT gin_clean_pending_list('{DOCUMENT}_vector_pairs_id')")
        cursor.execute(f"ANALYZE {DOCUMENT}")
