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
from collections import defaultdict
from collections.abc import Iterable, Iterator

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
    ids = sorted(article_ids)
    held = _held_entries(ids)
    for start in range(0, len(ids), CHUNK):
        vectors.store_terms_many(ids[start : start + CHUNK])
    index = scoring.candidate_index(_term_tops(), now)
    imported = set(ids)
    with_terms = set(
        ArticleTerms.objects.filter(article_id__in=ids).values_list(
            "article_id", flat=True
        )
    )
    own: dict[int, list[Scored]] = {}
    found: dict[int, list[Scored]] = defaultdict(list)  # article -> imported ones
    for start in range(0, len(ids), CHUNK):
        for pk, profile in scoring.profiles(ids[start : start + CHUNK]).items():
            if pk not in with_terms:  # not in the search index: no list, in none
                own[pk] = []
                continue
            scored = scoring.indexed_candidates(profile, index)
            own[pk] = scoring.best(scored, lists.SHOWN)
            if pk not in index.live:
                continue  # scheduled: a list of its own, but in nobody's yet
            for other, item in scored.items():
                if item.score >= scoring.MIN_SCORE:
                    found[other].append(Scored(item.score, index.live[pk], pk))
    fresh = {pk for pk in held if _fell_or_left(held[pk], found.get(pk, []))}
    fresh -= imported
    _store(ids, lambda pk: _merged(own[pk], found.get(pk, [])))
    stored = lists.stored_lists(sorted(set(found) - imported - fresh))
    _store(
        sorted(set(found) - imported - fresh),
        lambda pk: _merged(stored.get(pk, []), found[pk]),
    )
    _store(sorted(fresh), lambda pk: _recomputed(pk, index, found.get(pk, [])))


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


def _fell_or_left(before: dict[int, float], now: list[Scored]) -> bool:
    scores = {item.article_id: item.score for item in now}
    return any(scores.get(pk, -1.0) < score for pk, score in before.items())


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
