"""The fast path of a search without filters: rank in the index alone, then join.

Ranking every hit joined to the article table cost ~5 µs a hit on SQLite and
~20 µs on PostgreSQL (docs/decisions/0012-search.md): a word in half of 100,000
articles took a quarter of a second. This pass asks the index for the best
ids and the count, then reads the article table for one page of ids only.

It relies on what index_article() keeps true: the index holds exactly the
articles that are live or scheduled. So the hits live now are the index's hits
minus the few scheduled ones not yet due (`held_back`), which are excluded by
id. The page's rows (and TIE_ROOM more) are read with the live rule all the
same, and equal scores put in order of publication; if a row is missing (the
index held one it should not), or more equal scores run past the rows read,
the backend answers with its exact query instead.

A query with more than RANK_LIMIT hits (a common word: the backend finds out
by walking its index newest first, which costs far less than counting every
hit) is answered differently, in the order WordPress's own search gives every
query (title matches first, then the rest by date; WP_Query::parse_search_order):

- the count says "more than RANK_LIMIT";
- the articles with the query's words in the heading (title or byline) come
  first, best heading first, by the backend's rank over the heading alone
  (their full score would cost a pass over every hit to weigh the words; on
  PostgreSQL, of the newest RANK_LIMIT heading hits, as a byline's name is in
  thousands of headings);
- then the RANK_LIMIT newest hits, best first by the full score.

A word in that many articles says little about any one of them; the heading
says what an article is about, and a reader looking for a known article types
its title or its author.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from broadsheet.content.models import live_params, live_sql, not_yet_live_sql
from broadsheet.discovery.search.backends import (
    ARTICLE,
    DOCUMENT,
    LISTED,
    Page,
    Ranked,
    id_params,
    ranked_page,
)
from broadsheet.discovery.search.filters import Where

HELD_BACK_SQL = (
    f"SELECT d.article_id FROM {DOCUMENT} d JOIN {ARTICLE} a ON a.id = d.article_id"
    f" WHERE {not_yet_live_sql('a')}"
)
# Hits beyond the page asked for: the index orders equal scores by id, the page
# by publication time, so the rows of equal score at the page's edge are read
# too and sorted here.
TIE_ROOM = 20
PAGE_SQL = (
    f"SELECT {LISTED} FROM {ARTICLE} a WHERE a.id IN ({{ids}}) AND {live_sql('a')}"
)


@dataclass(frozen=True)
class Scored:
    """An id from the index and its score, lower is better (as BM25's)."""

    article_id: int
    score: float


@dataclass(frozen=True)
class Candidates:
    """What a backend's index says about a query, the live rule applied by id."""

    total: int  # every live hit; or, if `more`, fewer than there are
    best: list[Scored]  # best first, as many as asked for (or all there are)
    # A common query's: `best` is in its final order (heading hits, then the
    # newest; each by score, then the newest id), read as the index orders it,
    # so no run of equal scores is cut at the edge.
    more: bool = False


def common(cut: int, heading: list[Scored], newest: list[Scored], k: int) -> Candidates:
    """A common query's candidates (more than `cut` hits): its heading hits, then
    its newest hits not among them, k in all, each list best first as read."""
    seen = {scored.article_id for scored in heading}
    best = heading + [scored for scored in newest if scored.article_id not in seen]
    return Candidates(cut, best[:k], more=True)


def held_back(now: datetime.datetime | None) -> list[int]:
    """The indexed articles not live yet at `now` (scheduled for later)."""
    with connection.cursor() as cursor:
        cursor.execute(HELD_BACK_SQL, live_params(now))
        return [row[0] for row in cursor.fetchall()]


def rank(
    where: Where,
    *,
    limit: int,
    offset: int,
    candidates: Callable[[list[int], int], Candidates],
    exact: Callable[[], Page],
) -> Page:
    """One page of live hits and their count, from `candidates(held_back, k)`
    (the k best ids and the count, from the index alone); `exact()` when the
    index's answer cannot be trusted for this page."""
    wanted = offset + limit
    now = where.params["live_now"]
    found = candidates(held_back(now), wanted + TIE_ROOM)
    best = found.best
    tied = len(best) == wanted + TIE_ROOM and best[-1].score == best[wanted - 1].score
    if tied and not found.more:
        return exact()  # a run of equal scores longer than the room left for it
    rows = _rows([scored.article_id for scored in best], now)
    if len(rows) != len(best):
        return exact()  # the index holds a row that is not live
    if found.more:
        place = {scored.article_id: n for n, scored in enumerate(best)}
        rows.sort(key=lambda row: place[row.article_id])
    else:
        score = {scored.article_id: scored.score for scored in best}
        # Equal scores go to the newer article, as in the exact query.
        rows.sort(key=lambda row: (score[row.article_id], _newest(row)))
    return Page(found.total, rows[offset:wanted], found.more)


def _newest(row: Ranked) -> tuple[float, int]:
    return (-row.published_at.timestamp(), -row.article_id)


def _rows(article_ids: list[int], now: datetime.datetime) -> list[Ranked]:
    if not article_ids:
        return []
    placeholders, params = id_params(article_ids)
    params |= live_params(now)
    with connection.cursor() as cursor:
        cursor.execute(PAGE_SQL.format(ids=placeholders), params)
        return ranked_page(cursor.fetchall()).rows
