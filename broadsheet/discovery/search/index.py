"""Keep the search index in step with articles: write, remove and rebuild rows.

Every function here writes inside the caller's transaction (publishing's
services call index_article() inside theirs), so a rolled-back publish leaves
the index as it was and a committed withdrawal has already removed the row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from broadsheet.content.models import Article, ArticleAuthor, Citation, is_live_at
from broadsheet.discovery.models import SearchDocument
from broadsheet.discovery.search import backends, text
from broadsheet.rendering import typeset

# Rows are kept for articles live now or from their publication time on: search
# applies the live rule as it reads (content.models.live_sql), so a scheduled
# article is found from its moment on, with no job to run, and never before.
END_OF_TIME = datetime.datetime.max.replace(tzinfo=datetime.UTC)
BATCH = 500
_FIELDS = ["id", "title", "subtitle", "body_html", "notes_html", "status"]


def is_indexed_status(article: Article) -> bool:
    """Whether the article belongs in the index: live now or once its time comes."""
    return is_live_at(article.status, article.published_at, END_OF_TIME)


def index_article(article: Article) -> bool:
    """Write or remove the article's row as its status says; return whether it is
    in the index now. Runs in the caller's transaction."""
    if article.pk is None:
        return False
    if not is_indexed_status(article):
        SearchDocument.objects.filter(article_id=article.pk).delete()
        return False
    (document,) = documents_for([article])
    fields = {f.attname: getattr(document, f.attname) for f in _document_fields()}
    SearchDocument.objects.update_or_create(article_id=article.pk, defaults=fields)
    return True


def index_many(article_ids: Iterable[int]) -> int:
    """Write or remove the rows of many articles as their stored status says, BATCH
    at a time (five queries a batch, not four an article); return how many are in
    the index now. Runs in the caller's transaction.

    For bulk work (publishing.announcements.as_one_change): the same rows as
    index_article() writes one by one, from the articles as stored when it runs.
    """
    ids = sorted(set(article_ids))
    indexed = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        SearchDocument.objects.filter(article_id__in=batch).delete()
        articles = Article.objects.filter(pk__in=batch).order_by("pk")
        live = [
            a for a in articles.only(*_FIELDS, "published_at") if is_indexed_status(a)
        ]
        SearchDocument.objects.bulk_create(documents_for(live))
        indexed += len(live)
    return indexed


def index_articles(article_ids: Iterable[int]) -> int:
    """Write again the rows of these articles that are in the index (after a
    change to an author's name or a cited work); return how many."""
    ids = list(
        SearchDocument.objects.filter(article_id__in=list(article_ids)).values_list(
            "article_id", flat=True
        )
    )
    for start in range(0, len(ids), BATCH):
        articles = Article.objects.filter(pk__in=ids[start : start + BATCH])
        for article in articles.only(*_FIELDS, "published_at"):
            index_article(article)
    return len(ids)


@transaction.atomic
def rebuild_index(*, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Rebuild the whole index from the articles, in one transaction; return counts.

    `progress` is called with the number of articles done after each batch.
    Readers keep searching the old index until the rebuild commits.
    """
    removed, _ = SearchDocument.objects.all().delete()
    ids = list(
        Article.objects.live(END_OF_TIME).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        batch = Article.objects.filter(pk__in=ids[start : start + BATCH])
        SearchDocument.objects.bulk_create(
            documents_for(batch.order_by("pk").only(*_FIELDS))
        )
        if progress:
            progress(len(ids[start : start + BATCH]))
    backends.for_connection(connection).optimize()
    return {"articles_indexed": len(ids), "rows_replaced": removed}


def documents_for(articles: Iterable[Article]) -> list[SearchDocument]:
    """Build (unsaved) index rows for these articles, reading bylines and cited
    works in one query each."""
    articles = list(articles)
    ids = [article.pk for article in articles]
    people = _byline_names(ids)
    works = _work_texts(ids)
    documents = []
    for article in articles:
        notes, note_starts = text.notes_text(article.notes_html)
        documents.append(
            _digested(
                SearchDocument(
                    article_id=article.pk,
                    title=text.plain(typeset(article.title)),
                    subtitle=text.plain(typeset(article.subtitle)),
                    body=text.body_text(article.body_html),
                    notes=notes,
                    note_starts=note_starts,
                    people=text.plain(" · ".join(people[article.pk])),
                    works=text.plain(" · ".join(works[article.pk])),
                )
            )
        )
    return documents


def _digested(document: SearchDocument) -> SearchDocument:
    document.digest = document.text_digest()
    return document


def _byline_names(article_ids: list[int]) -> dict[int, list[str]]:
    # Read afresh, not through article.article_authors: the admin's instance
    # holds a prefetched byline from before set_byline() replaced it.
    names: dict[int, list[str]] = defaultdict(list)
    rows = ArticleAuthor.objects.filter(article_id__in=article_ids).order_by(
        "article_id", "position", "id"
    )
    for article_id, name in rows.values_list("article_id", "author__name"):
        names[article_id].append(name)
    return names


def _work_texts(article_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    rows = Citation.objects.filter(article_id__in=article_ids).order_by("work_id")
    for article_id, work_id, key, title, csl in rows.values_list(
        "article_id", "work_id", "work__key", "work__title", "work__csl"
    ):
        if (article_id, work_id) not in seen:
            seen.add((article_id, work_id))
            texts[article_id].append(" ".join([title, *_names(csl), key]))
    return texts


def _names(csl: object) -> list[str]:
    """The authors' and editors' names in a CSL-JSON record, as written."""
    if not isinstance(csl, dict):
        return []
    names = []
    for role in ("author", "editor"):
        people = csl.get(role)
        for person in people if isinstance(people, list) else []:
            if isinstance(person, dict):
                parts = [person.get(k) for k in ("literal", "given", "family")]
                names.append(" ".join(str(p) for p in parts if p))
    return names


def _document_fields() -> list:
    return [f for f in SearchDocument._meta.concrete_fields if not f.primary_key]
