"""How related two articles are: shared heavy terms, blended with shared links.

An article's candidates come from indexed lookups only: for each of its heaviest
terms, the TERM_CANDIDATES articles weighing that term most (the term index's
(term, weight) order); for each of its tags, categories, authors and cited works,
the LINK_CANDIDATES newest articles carrying it. A publish therefore reads a few
thousand rows, whatever the size of the site. Only live articles are candidates.
"""

from __future__ import annotations

import datetime
import functools
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from broadsheet.content.models import (
    Article,
    ArticleAuthor,
    Citation,
    live_params,
    live_sql,
)
from broadsheet.discovery.models import RelatedTerm

TERM_CANDIDATES = 50
LINK_CANDIDATES = 100
# A score is the cosine of the two articles' heaviest terms (0 to 1), plus these
# per shared link. A tag alone is enough to relate two articles (the fallback for
# articles whose words are shared by nobody); a category or an author alone is not:
# they are broad, and only strengthen a match.
LINK_WEIGHTS = {"tag": 0.1, "category": 0.02, "author": 0.03, "work": 0.1}
MIN_SCORE = 0.05
DIGITS = 6  # scores are rounded, so the same pair scores the same from either side

# (link kind, table, its column); the order is fixed: a kind's index is its source
LINKS = [
    ("tag", Article.tags.through._meta.db_table, "tag_id"),
    ("category", Article.categories.through._meta.db_table, "category_id"),
    ("author", ArticleAuthor._meta.db_table, "author_id"),
    ("work", Citation._meta.db_table, "work_id"),
]
TERM_SQL = (
    "SELECT * FROM (SELECT article_id, {source} AS source, weight AS value"
    " FROM {table} WHERE term = %({name})s"
    " ORDER BY weight DESC, article_id DESC LIMIT {limit}) {name}"
)
LINK_SQL = (
    "SELECT * FROM (SELECT DISTINCT article_id, {source} AS source, 0.0 AS value"
    " FROM {table} WHERE {column} = %({name})s"
    " ORDER BY article_id DESC LIMIT {limit}) {name}"
)
_TERMS = RelatedTerm._meta.db_table
CANDIDATES_SQL = (
    "SELECT c.article_id, c.source, c.value, a.published_at FROM ({union}) c"
    f" JOIN {Article._meta.db_table} a ON a.id = c.article_id"
    " WHERE a.id <> %(article)s AND {live}"
)
LIVE_SQL = f"SELECT a.id, a.published_at FROM {Article._meta.db_table} a WHERE {{live}}"


@dataclass
class Profile:
    """What an article's relatedness is computed from."""

    article_id: int
    terms: dict[str, float] = field(default_factory=dict)
    links: dict[str, list[int]] = field(default_factory=dict)  # kind -> ids


@dataclass(frozen=True, order=True)
class Scored:
    """A candidate's score and what breaks ties: newer, then higher id, first."""

    score: float
    published_at: object
    article_id: int


def profiles(article_ids: list[int]) -> dict[int, Profile]:
    """The stored terms and the links of these articles, a query per kind."""
    found = {pk: Profile(pk) for pk in article_ids}
    rows = RelatedTerm.objects.filter(article_id__in=article_ids)
    for pk, term, weight in rows.values_list("article_id", "term", "weight"):
        found[pk].terms[term] = weight
    for kind, table, column in LINKS:
        for profile in found.values():
            profile.links[kind] = []
        with connection.cursor() as cursor:
            marks = ", ".join(f"%(a{n})s" for n in range(len(article_ids)))
            cursor.execute(
                f"SELECT DISTINCT article_id, {column} FROM {table}"
                f" WHERE article_id IN ({marks}) ORDER BY article_id, {column}",
                {f"a{n}": pk for n, pk in enumerate(article_ids)},
            )
            for pk, linked in cursor.fetchall():
                found[pk].links[kind].append(linked)
    return found


def candidates(
    profile: Profile, now: datetime.datetime | None = None
) -> dict[int, Scored]:
    """Every live candidate of the article, with its score (MIN_SCORE or not)."""
    term_list = sorted(profile.terms)
    link_counts = tuple(len(profile.links.get(kind, ())) for kind, _, _ in LINKS)
    if not term_list and not any(link_counts):
        return {}
    params: dict[str, object] = {"article": profile.article_id, **live_params(now)}
    params |= {f"t{n}": term for n, term in enumerate(term_list)}
    for index, (kind, _, _) in enumerate(LINKS):
        params |= {f"l{index}_{n}": pk for n, pk in enumerate(profile.links[kind])}
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(len(term_list), link_counts), params)
        return _scored(profile, term_list, cursor.fetchall())


@dataclass(frozen=True)
class CandidateIndex:
    """Every lookup candidates() makes, answered from memory: rebuilding every list
    asks the same questions once per article, and a query per article took minutes
    at 10,000 articles. The answers are the queries' own: a term's TERM_CANDIDATES
    heaviest articles (ties: higher id first), a link's LINK_CANDIDATES highest
    ids, both before the live rule, which is applied after, as the query does."""

    by_term: dict[str, list[tuple[int, float]]]
    by_link: list[dict[int, list[int]]]  # one per LINKS entry: linked id -> ids
    live: dict[int, object]  # live article id -> published_at as read raw


class TermTops:
    """Each term's TERM_CANDIDATES heaviest articles, fed rows as they are made (a
    bounded heap per term: the rows of 100,000 articles are never held at once)."""

    def __init__(self) -> None:
        self._heaps: dict[str, list[tuple[float, int]]] = defaultdict(list)

    def add(self, rows: Iterable[tuple[int, str, float]]) -> None:
        """Take (article id, term, weight) rows into account."""
        for pk, term, weight in rows:
            heap = self._heaps[term]
            if len(heap) < TERM_CANDIDATES:
                heapq.heappush(heap, (weight, pk))
            elif (weight, pk) > heap[0]:
                heapq.heapreplace(heap, (weight, pk))

    def tops(self) -> dict[str, list[tuple[int, float]]]:
        """term -> [(article id, weight)], heaviest first, then higher id first."""
        return {
            term: [(pk, weight) for weight, pk in sorted(heap, reverse=True)]
            for term, heap in self._heaps.items()
        }


def candidate_index(
    by_term: dict[str, list[tuple[int, float]]], now: datetime.datetime | None = None
) -> CandidateIndex:
    """The index of these term tops (TermTops.tops()) and of the link tables."""
    by_link = []
    with connection.cursor() as cursor:
        for _, table, column in LINKS:
            cursor.execute(f"SELECT DISTINCT article_id, {column} FROM {table}")
            linked: dict[int, list[int]] = defaultdict(list)
            for pk, value in cursor.fetchall():
                linked[value].append(pk)
            by_link.append(
                {
                    value: sorted(pks, reverse=True)[:LINK_CANDIDATES]
                    for value, pks in linked.items()
                }
            )
        cursor.execute(LIVE_SQL.format(live=live_sql("a")), live_params(now))
        live = dict(cursor.fetchall())
    return CandidateIndex(by_term, by_link, live)


def indexed_candidates(profile: Profile, index: CandidateIndex) -> dict[int, Scored]:
    """What candidates() returns, from a CandidateIndex instead of the tables."""
    live = index.live
    return {
        pk: Scored(score, live[pk], pk)
        for pk, score in indexed_scores(profile, index).items()
    }


def indexed_scores(
    profile: Profile, index: CandidateIndex, *, at_least: float | None = None
) -> dict[int, float]:
    """The scores of candidates() (live candidates, rounded), from a
    CandidateIndex: the rows candidates() sums, summed in the same order (terms
    alphabetically, then links), written out flat, as it runs for every article
    of a site. `at_least`: only the scores of at least that (cheaper: most
    candidates share one light term)."""
    scores: dict[int, float] = defaultdict(float)
    for term in sorted(profile.terms):
        weight = profile.terms[term]
        for pk, other in index.by_term.get(term, ()):
            scores[pk] += weight * other
    for kind_index, (kind, _, _) in enumerate(LINKS):
        bonus, linked_to = LINK_WEIGHTS[kind], index.by_link[kind_index]
        for linked in profile.links.get(kind, ()):
            for pk in linked_to.get(linked, ()):
                scores[pk] += bonus
    scores.pop(profile.article_id, None)
    live = index.live
    if at_least is None:
        return {pk: round(s, DIGITS) for pk, s in scores.items() if pk in live}
    floor = at_least - 10**-DIGITS  # rounding may lift a score to at_least
    rounded = {
        pk: round(s, DIGITS) for pk, s in scores.items() if s >= floor and pk in live
    }
    return {pk: s for pk, s in rounded.items() if s >= at_least}


def _scored(
    profile: Profile, term_list: list[str], rows: Iterable[tuple]
) -> dict[int, Scored]:
    scores: dict[int, float] = defaultdict(float)
    published: dict[int, object] = {}
    for pk, source, value, published_at in rows:
        if source >= 0:
            scores[pk] += profile.terms[term_list[source]] * value
        else:
            scores[pk] += LINK_WEIGHTS[LINKS[-source - 1][0]]
        published[pk] = published_at
    return {
        pk: Scored(round(score, DIGITS), published[pk], pk)
        for pk, score in scores.items()
    }


def best(scored: dict[int, Scored], limit: int) -> list[Scored]:
    """The `limit` best candidates scoring at least MIN_SCORE, best first."""
    kept = [item for item in scored.values() if item.score >= MIN_SCORE]
    # As sorted(kept, reverse=True)[:limit], without sorting thousands for four.
    return heapq.nlargest(limit, kept, key=_order)


def best_scores(
    scores: dict[int, float], published: dict[int, object], limit: int
) -> list[Scored]:
    """best() of indexed_scores(at_least=MIN_SCORE)'s answer, without making a
    Scored of each candidate."""
    keys = ((score, published[pk], pk) for pk, score in scores.items())
    return [Scored(*key) for key in heapq.nlargest(limit, keys)]


def _order(item: Scored) -> tuple:
    return (item.score, item.published_at, item.article_id)


@functools.cache
def _candidates_sql(terms: int, links: tuple[int, ...]) -> str:
    parts = [
        TERM_SQL.format(source=n, table=_TERMS, name=f"t{n}", limit=TERM_CANDIDATES)
        for n in range(terms)
    ]
    for index, (_, table, column) in enumerate(LINKS):
        parts += [
            LINK_SQL.format(
                source=-index - 1,
                table=table,
                column=column,
                name=f"l{index}_{n}",
                limit=LINK_CANDIDATES,
            )
            for n in range(links[index])
        ]
    return CANDIDATES_SQL.format(union=" UNION ALL ".join(parts), live=live_sql("a"))
