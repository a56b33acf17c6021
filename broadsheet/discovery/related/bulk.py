"""Related reading for many articles at once: an import's, as its block ends.

update_for() keeps the lists in step with one article, with a few queries per
candidate; an import of 1,000 posts spent 72 of its 100 seconds there (each post
three times over: saved, then tagged, then categorised). Inside `deferred()` the
changed articles are only collected, and when the block ends they are related
together: their terms stored (frequencies adjusted once per chunk), every
candidate lookup answered from memory (scoring.CandidateIndex, as reindex does),
and each list written once. The lists are those update_for() would keep:

- each imported article's list: its best candidates, together with the imported
  articles that found it (scores are symmetric);
- another article's list takes in the imported articles that beat its last entry
  (its other entries stand, as they would);
- a list that held an imported article whose score fell or which left is
  computed afresh, as update_for() recomputes it.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from broadsheet.discovery.models import ArticleTerms, RelatedArticle, RelatedTerm
from broadsheet.discovery.related import lists, scoring, vectors
from broadsheet.discovery.related.scoring import CandidateIndex, Scored

CHUNK = 500

_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "broadsheet_related_pending", default=None
)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Inside the block (in a transaction), defer() collects articles instead of
    relating each; update_many() relates them all when it ends without error,
    unless the transaction is set to roll back (a dry run)."""
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending and not transaction.get_rollback():
        update_many(pending)


def defer(article_ids: Iterable[int]) -> bool:
    """Inside deferred(): note these articles changed and return True; outside,
    return False (the caller relates them now)."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.update(article_ids)
    return True


def update_many(article_ids: set[int], now: datetime.datetime | None = None) -> None:
    """Bring related reading in step with these articles' changes at once."""
    lists.lock_for_writing()
    ids = sorted(article_ids)
    imported = set(ids)
    held = _held_entries(ids)
    for start in range(0, len(ids), CHUNK):
        vectors.store_terms(ids[start : start + CHUNK])
    index = scoring.candidate_index(_term_tops(), now)
    scores = _score(ids, index, held)
    fresh = {
        pk
        for pk, before in held.items()
        if pk not in imported and _fell_or_left(before, scores.rescored.get(pk, {}))
    }
    others = sorted((set(scores.found) | set(scores.rescored)) - imported - fresh)
    _store(ids, lambda pk: _merged(scores.own[pk], scores.extra(pk)))
    stored = lists.stored_lists(others)
    _store(others, lambda pk: _merged(stored.get(pk, []), scores.extra(pk)))
    _store(sorted(fresh), lambda pk: _recomputed(pk, index, scores.extra(pk)))


Key = tuple[float, object, int]  # (score, published_at, id): Scored's order


@dataclass
class _Scores:
    """What scoring the imported articles found (kept as Key tuples, compared in
    C: 10,000 posts weigh millions of pairs)."""

    own: dict[int, list[Scored]] = field(default_factory=dict)  # their own best
    # article -> the SHOWN best imported articles that found it (a bounded heap:
    # only they can enter its list)
    found: dict[int, list[Key]] = field(default_factory=lambda: defaultdict(list))
    # holder -> imported article it held -> its score now (if still a candidate)
    rescored: dict[int, dict[int, Scored]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    def extra(self, pk: int) -> list[Scored]:
        """The imported articles that may enter pk's list."""
        found = [Scored(*key) for key in self.found.get(pk, [])]
        return found + list(self.rescored.get(pk, {}).values())


def _score(
    ids: list[int], index: CandidateIndex, held: dict[int, dict[int, float]]
) -> _Scores:
    with_terms = set(
        ArticleTerms.objects.filter(article_id__in=ids).values_list(
            "article_id", flat=True
        )
    )
    scores, live = _Scores(), index.live
    for start in range(0, len(ids), CHUNK):
        for pk, profile in scoring.profiles(ids[start : start + CHUNK]).items():
            if pk not in with_terms:  # not in the search index: no list, in none
                scores.own[pk] = []
                continue
            # Below MIN_SCORE a pair is in no list: a held pair that fell there
            # is missing from rescored, which _fell_or_left() reads as fallen.
            found = scoring.indexed_scores(profile, index, at_least=scoring.MIN_SCORE)
            scores.own[pk] = scoring.best_scores(found, live, lists.SHOWN)
            if pk not in live:
                continue  # scheduled: a list of its own, but in nobody's yet
            published, heaps = live[pk], scores.found
            for other, score in found.items():  # millions of pairs: kept inline
                key = (score, published, pk)
                if pk in held.get(other, ()):
                    scores.rescored[other][pk] = Scored(*key)
                    continue
                heap = heaps[other]
                if len(heap) < lists.SHOWN:
                    heapq.heappush(heap, key)
                elif heap[0] < key:
                    heapq.heapreplace(heap, key)
    return scores


def _held_entries(ids: list[int]) -> dict[int, dict[int, float]]:
    """Lists holding any of these articles, before: holder -> {article: score}."""
    held: dict[int, dict[int, float]] = defaultdict(dict)
    for start in range(0, len(ids), CHUNK):
        rows = RelatedArticle.objects.filter(related_id__in=ids[start : start + CHUNK])
        for holder, related, score in rows.values_list(
            "article_id", "related_id", "score"
        ):
            held[holder][related] = score
    return held


def _fell_or_left(before: dict[int, float], now: dict[int, Scored]) -> bool:
    return any(pk not in now or now[pk].score < score for pk, score in before.items())


def _term_tops() -> dict[str, list[tuple[int, float]]]:
    tops = scoring.TermTops()
    rows = RelatedTerm.objects.values_list("article_id", "term", "weight")
    tops.add(rows.iterator(chunk_size=5000))
    return tops.tops()


def _merged(entries: list[Scored], more: list[Scored]) -> list[Scored]:
    """The SHOWN best of two candidate lists, an article once, at the higher of
    its two scores. A pair's score seen from either side can differ (each side
    sums only the terms whose candidate lists hold the other), and both fall
    short of the whole cosine: the higher is the nearer. Taking the higher only
    raises scores, so a list cut to SHOWN first loses nothing that could count."""
    by_article = {item.article_id: item for item in entries}
    for item in more:
        if item.article_id not in by_article or by_article[item.article_id] < item:
            by_article[item.article_id] = item
    return scoring.best(by_article, lists.SHOWN)


def _recomputed(pk: int, index: CandidateIndex, more: list[Scored]) -> list[Scored]:
    profile = scoring.profiles([pk])[pk]
    return _merged(list(scoring.indexed_candidates(profile, index).values()), more)


def _store(ids: list[int], entries_of) -> None:
    """Replace the lists of these articles with entries_of(article), in chunks."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = [
            RelatedArticle(
                article_id=pk, related_id=item.article_id, rank=rank, score=item.score
            )
            for pk in chunk
            for rank, item in enumerate(entries_of(pk))
        ]
        RelatedArticle.objects.filter(article_id__in=chunk).delete()
        RelatedArticle.objects.bulk_create(rows, batch_size=CHUNK * 4)
