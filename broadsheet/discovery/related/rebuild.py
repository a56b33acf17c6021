"""Rebuild every article's terms and list from the search index (reindex)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterator

from django.db import transaction

from broadsheet.discovery.models import (
    ArticleTerms,
    RelatedArticle,
    RelatedTerm,
    SearchDocument,
    TermFrequency,
)
from broadsheet.discovery.related import lists, scoring, terms, vectors

BATCH = 500


@transaction.atomic
def rebuild_related(
    *,
    progress: Callable[[int], None] | None = None,
    now: datetime.datetime | None = None,
    with_lists: bool = True,
) -> dict[str, int]:
    """Recount every indexed article's terms with today's frequencies, then compute
    every list (unless not `with_lists`: a benchmark's shortcut); one transaction.
    `progress` gets the articles done per batch (each article is counted twice:
    once for its terms, once for its list)."""
    lists.lock_for_writing()
    for model in (RelatedArticle, RelatedTerm, ArticleTerms, TermFrequency):
        model.objects.all().delete()
    ids = list(
        SearchDocument.objects.order_by("article_id").values_list(
            "article_id", flat=True
        )
    )
    frequency: Counter[str] = Counter()
    for _chunk, counted in _counted(ids):
        frequency.update(term for counts in counted.values() for term in counts)
        ArticleTerms.objects.bulk_create(
            ArticleTerms(article_id=pk, terms=" ".join(sorted(counts)))
            for pk, counts in counted.items()
        )
    TermFrequency.objects.bulk_create(
        (TermFrequency(term=t, documents=n) for t, n in frequency.items()),
        batch_size=BATCH * 4,
    )
    tops = scoring.TermTops()
    for chunk, counted in _counted(ids):
        chunk_rows = [
            (pk, term, weight)
            for pk, counts in counted.items()
            for term, weight in terms.top_terms(counts, frequency, len(ids)).items()
        ]
        vectors.insert_terms(chunk_rows)
        tops.add(chunk_rows)
        if progress:
            progress(len(chunk))
    index = scoring.candidate_index(tops.tops(), now) if with_lists else None
    entries = 0
    for start in range(0, len(ids) if index else 0, BATCH):
        chunk = ids[start : start + BATCH]
        rows = []
        for pk, profile in scoring.profiles(chunk).items():
            found = scoring.indexed_scores(profile, index, at_least=scoring.MIN_SCORE)
            best = scoring.best_scores(found, index.live, lists.SHOWN)
            rows += [
                RelatedArticle(
                    article_id=pk, related_id=item.article_id, rank=n, score=item.score
                )
                for n, item in enumerate(best)
            ]
        RelatedArticle.objects.bulk_create(rows, batch_size=BATCH * 4)
        entries += len(rows)
        if progress:
            progress(len(chunk))
    return {
        "articles_related": len(ids),
        "list_entries": entries,
        "terms": len(frequency),
    }


def _counted(ids: list[int]) -> Iterator[tuple[list[int], dict[int, Counter[str]]]]:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = SearchDocument.objects.filter(article_id__in=chunk).values(
            "article_id", *vectors.TEXT_FIELDS
        )
        yield chunk, {row["article_id"]: terms.term_counts(row) for row in rows}
