"""Each indexed article's terms: document frequencies and its heaviest terms, stored.

The text is the search index's (discovery.SearchDocument: the article as readers
read it), so an article has terms exactly while it is in the index: live, or
scheduled. Everything here writes in the caller's transaction.
"""

from __future__ import annotations

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


def indexed_text(article_id: int) -> dict[str, str] | None:
    """The article's text in the search index; None when it is not indexed."""
    return (
        SearchDocument.objects.filter(article_id=article_id)
        .values(*TEXT_FIELDS)
        .first()
    )


def store_terms(article_id: int) -> dict[str, float] | None:
    """Count the article's terms again and store its heaviest; return them, or None
    (its terms taken back) when the article is not in the search index."""
    fields = indexed_text(article_id)
    old = ArticleTerms.objects.filter(article_id=article_id).values_list(
        "terms", flat=True
    )
    before = set((old.first() or "").split())
    if fields is None:
        remove_terms(article_id)
        return None
    counts = terms.term_counts(fields)
    adjust_frequencies(added=set(counts) - before, removed=before - set(counts))
    ArticleTerms.objects.update_or_create(
        article_id=article_id, defaults={"terms": " ".join(sorted(counts))}
    )
    top = terms.top_terms(counts, frequencies(counts), ArticleTerms.objects.count())
    RelatedTerm.objects.filter(article_id=article_id).delete()
    RelatedTerm.objects.bulk_create(
        RelatedTerm(article_id=article_id, term=term, weight=weight)
        for term, weight in top.items()
    )
    return top


def remove_terms(article_id: int) -> None:
    """Take back what the article's text added to the frequencies; drop its terms."""
    old = ArticleTerms.objects.filter(article_id=article_id).values_list(
        "terms", flat=True
    )
    before = set((old.first() or "").split())
    adjust_frequencies(added=set(), removed=before)
    ArticleTerms.objects.filter(article_id=article_id).delete()
    RelatedTerm.objects.filter(article_id=article_id).delete()


def adjust_frequencies(*, added: set[str], removed: set[str]) -> None:
    """Count one more document for each added term and one fewer for each removed."""
    with connection.cursor() as cursor:
        if added:
            cursor.executemany(
                f"INSERT INTO {_FREQUENCY} (term, documents) VALUES (%s, 1)"
                f" ON CONFLICT (term) DO UPDATE"
                f" SET documents = {_FREQUENCY}.documents + 1",
                [(term,) for term in sorted(added)],
            )
        if removed:
            cursor.executemany(
                f"UPDATE {_FREQUENCY} SET documents = documents - 1"
                " WHERE term = %s AND documents > 0",
                [(term,) for term in sorted(removed)],
            )


def frequencies(words: Iterable[str]) -> dict[str, int]:
    """The stored document frequency of each of these terms."""
    words = sorted(words)
    found: dict[str, int] = {}
    for start in range(0, len(words), CHUNK):
        rows = TermFrequency.objects.filter(term__in=words[start : start + CHUNK])
        found.update(rows.values_list("term", "documents"))
    return found
