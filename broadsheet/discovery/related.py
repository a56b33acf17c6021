"""Related reading: recent articles sharing the most tags and categories."""

import datetime
import functools
import heapq
from collections import Counter

from django.db import connection
from django.utils import timezone

from broadsheet.content.models import Article, live_params, live_sql

# Candidates are the CANDIDATES_PER_TERM most recently added articles of each of
# the article's tags and categories, read from the link tables' own indexes; then
# scored by how many terms they share. Scoring every article of a broad tag (a
# third of a 10,000-article site) cost ~40 ms per uncached page and dominated the
# static export; the bounded version costs about a millisecond at any size.
CANDIDATES_PER_TERM = 200
Term = tuple[type, str, int]  # link table, its column, the tag's or category's id
RELATED_SQL = """
SELECT a.id FROM {article} a
JOIN (
    SELECT article_id, COUNT(*) AS score FROM ({candidates}) shared
    GROUP BY article_id
) s ON s.article_id = a.id
WHERE a.id <> %(article)s AND {live}
ORDER BY s.score DESC, a.published_at DESC, a.id DESC
LIMIT %(limit)s
"""
# Named placeholders, as in web.fragments: positional ones cost a regex scan of
# the whole statement per execute on SQLite.
NEWEST_OF_TERM = (
    "SELECT * FROM (SELECT article_id FROM {table} WHERE {column} = %({alias})s"
    " ORDER BY article_id DESC LIMIT {limit}) {alias}"
)


def related_ids(
    article_id: int, *, tag_ids: list[int], category_ids: list[int], limit: int = 4
) -> list[int]:
    """Return the ids of live articles sharing the most of these tags and categories."""
    if not tag_ids and not category_ids:
        return []
    terms = _terms(tag_ids, category_ids)
    sql = _related_sql(len(tag_ids), len(category_ids), CANDIDATES_PER_TERM)
    params = {f"t{n}": pk for n, (_, _, pk) in enumerate(terms)} | {
        "article": article_id,
        "limit": limit,
        **live_params(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


@functools.cache
def _related_sql(tags: int, categories: int, candidates_per_term: int) -> str:
    """The query for an article with this many tags and categories (built once:
    formatting it was a tenth of the query's cost on an uncached page)."""
    terms = _terms([0] * tags, [0] * categories)
    candidates = " UNION ALL ".join(
        NEWEST_OF_TERM.format(
            table=through._meta.db_table,
            column=column,
            limit=candidates_per_term,
            alias=f"t{n}",
        )
        for n, (through, column, _) in enumerate(terms)
    )
    return RELATED_SQL.format(
        article=Article._meta.db_table, candidates=candidates, live=live_sql("a")
    )


class RelatedIndex:
    """related_ids() for many articles at once (the static export's): each term's
    candidates are read the first time a term is asked for, then scored in memory.

    Same rule and order as the query above, at one moment (`now`): candidates are a
    term's CANDIDATES_PER_TERM newest links, scored by the terms they share.
    """

    def __init__(self, now: datetime.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.candidates: dict[Term, list[int]] = {}
        self.rankings: dict[tuple[tuple[Term, ...], int], list[int]] = {}
        self.published: dict[int, datetime.datetime | None] = {}  # None: not live

    def related_ids(
        self,
        article_id: int,
        *,
        tag_ids: list[int],
        category_ids: list[int],
        limit: int = 4,
    ) -> list[int]:
        # Articles with the same terms share a ranking: the article itself is in
        # it at most once, so one more than `limit` always leaves enough.
        key = (tuple(_terms(sorted(tag_ids), sorted(category_ids))), limit + 1)
        ranking = self.rankings.get(key)
        if ranking is None:
            ranking = self.rankings[key] = self._ranking(*key)
        return [pk for pk in ranking if pk != article_id][:limit]

    def _ranking(self, terms: tuple[Term, ...], size: int) -> list[int]:
        scores: Counter[int] = Counter()
        for term in terms:
            scores.update(self._candidates(term))
        ranked = heapq.nlargest(
            size,
            (
                (score, published, pk)
                for pk, score in scores.items()
                if (published := self.published[pk]) is not None
            ),
        )  # score, then published_at, then id, all descending
        return [pk for _, _, pk in ranked]

    def _candidates(self, term: Term) -> list[int]:
        found = self.candidates.get(term)
        if found is None:
            through, column, pk = term
            found = self.candidates[term] = list(
                through.objects.filter(**{column: pk})
                .order_by("-article_id")
                .values_list("article_id", flat=True)[:CANDIDATES_PER_TERM]
            )
            self._read_published([pk for pk in found if pk not in self.published])
        return found

    def _read_published(self, article_ids: list[int]) -> None:
        self.published.update(dict.fromkeys(article_ids))
        live = Article.objects.live(self.now).filter(pk__in=article_ids)
        self.published.update(live.values_list("pk", "published_at"))


def _terms(tag_ids: list[int], category_ids: list[int]) -> list[Term]:
    return [(Article.tags.through, "tag_id", pk) for pk in tag_ids] + [
        (Article.categories.through, "category_id", pk) for pk in category_ids
    ]
