"""Each indexed article's terms: document frequencies and its heaviest terms, stored.

The text is the search index's (discovery.SearchDocument: the article as readers
read it), so an article has terms exactly while it is in the index: live, or
scheduled. Everything here writes in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection

from broadsheet.discovery.models import (
    ArticleTerms,
    RelatedTerm,
    SearchDocument,
    TermFrequency,
)
from broadsheet.discovery.related import terms

CHUNK = 500  # ids or terms per IN (...): well inside every database's limit
TEXT_FIELDS = tuple(terms.FIELD_WEIGHTS)
_FREQUENCY = TermFrequency._meta.db_table
_TERMS = RelatedTerm._meta.db_table


def store_terms(article_ids: list[int]) -> None:
    """Count these articles' terms again (one, for a publish; a chunk of an
    import's) and store each one's heaviest: the frequencies adjusted once for
    them all, then each one's weighed against them. Articles not in the search
    index have their terms taken back."""
    rows = SearchDocument.objects.filter(article_id__in=article_ids)
    counts = {
        row["article_id"]: terms.term_counts(row)
        for row in rows.values("article_id", *TEXT_FIELDS)
    }
    before = ArticleTerms.objects.filter(article_id__in=article_ids)
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for stored in before.values_list("terms", flat=True):
        removed.update(set(stored.split()))
    for counted in counts.values():
        added.update(counted.keys())
    common = added & removed  # in both before and after: no change to count
    adjust_frequencies(added=added - common, removed=removed - common)
    before.delete()
    RelatedTerm.objects.filter(article_id__in=article_ids).delete()
    ArticleTerms.objects.bulk_create(
        ArticleTerms(article_id=pk, terms=" ".join(sorted(counted)))
        for pk, counted in counts.items()
    )
    frequency = frequencies(set().union(*counts.values()))
    documents = ArticleTerms.objects.count()
    insert_terms(
        (pk, term, weight)
        for pk, counted in counts.items()
        for term, weight in terms.top_terms(counted, frequency, documents).items()
    )


def insert_terms(rows: Iterable[tuple[int, str, float]]) -> None:
    """Insert (article id, term, weight) rows: a plain INSERT, as reindex and
    imports write 24 an article (model instances cost more than the writing)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_TERMS} (article_id, term, weight) VALUES (%s, %s, %s)",
            list(rows),
        )


def remove_terms(article_id: int) -> None:
    """Take back what the article's text added to the frequencies; drop its terms."""
    old = ArticleTerms.objects.filter(article_id=article_id).values_list(
        "terms", flat=True
    )
    before = set((old.first() or "").split())
    adjust_frequencies(added=set(), removed=before)
    ArticleTerms.objects.filter(article_id=article_id).delete()
    RelatedTerm.objects.filter(article_id=article_id).delete()


def adjust_frequencies(
    *, added: Iterable[str] | Counter[str], removed: Iterable[str] | Counter[str]
) -> None:
    """Count more documents for each added term and fewer for each removed: one
    each for a set, as many as it says for a Counter."""
    more, fewer = Counter(added), Counter(removed)
    with connection.cursor() as cursor:
        if more:
            cursor.executemany(
                f"INSERT INTO {_FREQUENCY} (term, documents) VALUES (%s, %s)"
                f" ON CONFLICT (term) DO UPDATE"
                f" SET documents = {_FREQUENCY}.documents + %s",
                [(term, n, n) for term, n in sorted(more.items())],
            )
        if fewer:
            cursor.executemany(
                f"UPDATE {_FREQUENCY} SET documents = CASE WHEN documents > %s"
                " THEN documents - %s ELSE 0 END WHERE term = %s",
                [(n, n, term) for term, n in sorted(fewer.items())],
            )


def frequencies(words: Iterable[str]) -> dict[str, int]:
    """The stored document frequency of each of these terms."""
    words = sorted(words)
    found: dict[str, int] = {}
    for start in range(0, len(words), CHUNK):
        rows = TermFrequency.objects.filter(term__in=words[start : start + CHUNK])
        found.update(rows.values_list("term", "documents"))
    return found
