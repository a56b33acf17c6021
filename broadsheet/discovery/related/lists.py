"""Stored "Read more" lists: kept in step with one article's change, and read.

A list holds an article's SHOWN best live candidates (scoring.best). When article
A changes, only these lists can change (scores are symmetric: a pair scores the
same from either side):

- A's own, computed afresh;
- the lists holding A: A's entry rises in place, or, when A fell or left, the list
  is computed afresh (an article outside it may now belong);
- the lists of A's candidates that A now beats the last entry of (or that are not
  full): A goes in, the last drops out. A list shorter than SHOWN therefore always
  means that no other candidate qualifies.

Scores between other pairs do not move. Term weights are computed with the
frequencies of the moment an article was stored and are not redone as the site
grows; `broadsheet reindex` redoes them all (docs/decisions/0024-related-reading.md).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection

from broadsheet.content.models import Article, live_params, live_sql
from broadsheet.discovery.models import ArticleTerms, RelatedArticle
from broadsheet.discovery.related import scoring, vectors
from broadsheet.discovery.related.scoring import Scored

SHOWN = 4  # entries per list: what the article page shows
# The key of PostgreSQL's transaction-level advisory lock on related reading.
WRITE_LOCK = 0x52454C41  # "RELA"
_LIST = RelatedArticle._meta.db_table
_ARTICLE = Article._meta.db_table
STORED_SQL = (
    f"SELECT r.article_id, r.related_id, r.score, a.published_at FROM {_LIST} r"
    f" JOIN {_ARTICLE} a ON a.id = r.related_id WHERE r.article_id IN ({{marks}})"
    " ORDER BY r.article_id, r.rank"
)
READ_SQL = (
    f"SELECT r.related_id FROM {_LIST} r JOIN {_ARTICLE} a ON a.id = r.related_id"
    " WHERE r.article_id = %(article)s AND {live} ORDER BY r.rank"
)
READ_ALL_SQL = (
    f"SELECT r.article_id, r.related_id FROM {_LIST} r"
    f" JOIN {_ARTICLE} a ON a.id = r.related_id WHERE {{live}}"
    " ORDER BY r.article_id, r.rank"
)


def related_to(article_id: int, now: datetime.datetime | None = None) -> list[int]:
    """The article's stored list: ids of live articles, best first."""
    # The live rule again as it reads: a list never shows an article that is not
    # live, whatever happened since it was stored.
    with connection.cursor() as cursor:
        cursor.execute(
            READ_SQL.format(live=live_sql("a")),
            {"article": article_id, **live_params(now)},
        )
        return [row[0] for row in cursor.fetchall()]


def all_lists(now: datetime.datetime | None = None) -> dict[int, list[int]]:
    """Every stored list at once (the static export's), as related_to() reads each."""
    found: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(READ_ALL_SQL.format(live=live_sql("a")), live_params(now))
        for article_id, related_id in cursor.fetchall():
            found[article_id].append(related_id)
    return dict(found)


def lock_for_writing() -> None:
    """Make this transaction the only one changing related reading until it ends.

    A change reads the term frequencies and other articles' lists, then rewrites
    them: two at once on PostgreSQL deadlocked on the frequencies, or stored one
    list twice over (a duplicate rank). SQLite lets one writer in at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])


def update_for(
    article_id: int, *, text_changed: bool = True, now: datetime.datetime | None = None
) -> set[int]:
    """Bring related reading in step with one article's change (its text, status,
    date or links); return the ids of the articles whose lists changed."""
    lock_for_writing()
    if text_changed:
        vectors.store_terms([article_id])
    changed: set[int] = set()
    holders = holding(article_id)
    if not ArticleTerms.objects.filter(article_id=article_id).exists():
        if store(article_id, []):
            changed.add(article_id)
        return changed | {pk for pk in holders if recompute(pk, now=now)}
    profile = scoring.profiles([article_id])[article_id]
    scored = scoring.candidates(profile, now)
    if store(article_id, scoring.best(scored, SHOWN)):
        changed.add(article_id)
    if not Article.objects.live(now).filter(pk=article_id).exists():
        return changed | {pk for pk in holders if recompute(pk, now=now)}
    own = _own_key(article_id, now)
    joinable = [
        pk
        for pk, item in scored.items()
        if item.score >= scoring.MIN_SCORE or pk in holders
    ]
    lists = stored_lists(joinable)
    for pk in joinable:
        entries = lists.get(pk, [])
        mine = Scored(scored[pk].score, own.published_at, article_id)
        if pk in holders:
            if mine.score < holders[pk] or mine.score < scoring.MIN_SCORE:
                if recompute(pk, now=now):
                    changed.add(pk)
                continue
            entries = [e for e in entries if e.article_id != article_id]
        elif len(entries) >= SHOWN and mine <= entries[-1]:
            continue
        if store(pk, sorted([*entries, mine], reverse=True)[:SHOWN]):
            changed.add(pk)
    # Lists holding the article that it is no longer a candidate for: out it goes.
    for pk in set(holders) - set(joinable):
        if recompute(pk, now=now):
            changed.add(pk)
    return changed


def recompute(
    article_id: int,
    *,
    now: datetime.datetime | None = None,
    excluding: int | None = None,
) -> bool:
    """Compute one article's list afresh (leaving out `excluding`, an article on
    its way out) and store it; return whether it changed."""
    lock_for_writing()
    if not ArticleTerms.objects.filter(article_id=article_id).exists():
        return store(article_id, [])
    profile = scoring.profiles([article_id])[article_id]
    scored = scoring.candidates(profile, now)
    scored.pop(excluding, None)
    return store(article_id, scoring.best(scored, SHOWN))


def holding(article_id: int) -> dict[int, float]:
    """The articles whose lists hold this one, with its score in each."""
    rows = RelatedArticle.objects.filter(related_id=article_id)
    return dict(rows.values_list("article_id", "score"))


def stored_lists(article_ids: list[int]) -> dict[int, list[Scored]]:
    """The stored lists of these articles, best first, as Scored entries."""
    found: dict[int, list[Scored]] = defaultdict(list)
    for start in range(0, len(article_ids), vectors.CHUNK):
        chunk = article_ids[start : start + vectors.CHUNK]
        marks = ", ".join(f"%(a{n})s" for n in range(len(chunk)))
        with connection.cursor() as cursor:
            cursor.execute(
                STORED_SQL.format(marks=marks),
                {f"a{n}": pk for n, pk in enumerate(chunk)},
            )
            for pk, related_id, score, published_at in cursor.fetchall():
                found[pk].append(Scored(score, published_at, related_id))
    return found


def store(article_id: int, entries: list[Scored]) -> bool:
    """Replace the article's list with these entries; return whether it changed."""
    old = list(
        RelatedArticle.objects.filter(article_id=article_id)
        .order_by("rank")
        .values_list("related_id", "score")
    )
    new = [(item.article_id, item.score) for item in entries]
    if old == new:
        return False
    RelatedArticle.objects.filter(article_id=article_id).delete()
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article_id=article_id, related_id=pk, rank=rank, score=score)
        for rank, (pk, score) in enumerate(new)
    )
    # Only the order readers see counts as a change for their pages.
    return [pk for pk, _ in old] != [pk for pk, _ in new]


def _own_key(article_id: int, now: datetime.datetime | None) -> Scored:
    # published_at read raw, as candidates() reads it, so keys compare alike.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT published_at FROM {_ARTICLE} WHERE id = %(article)s",
            {"article": article_id},
        )
        (published_at,) = cursor.fetchone()
    return Scored(0.0, published_at, article_id)
