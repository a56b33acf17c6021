"""The search index's stored text: one row per article that is or will be live."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """An article's searchable text, as plain text, kept in step with publishing.

    The rows are the index's content: on SQLite an FTS5 table reads them
    (external content, kept in step by triggers on this table), on PostgreSQL a
    generated, GIN-indexed tsvector column sits on this table itself. Both are
    created by migration 0001 for their database alone; the model is the same on
    both (see broadsheet/discovery/search/). Rows are written inside the
    transaction of the publish, edit or withdrawal that changes them.

    A later migration that alters this table must recreate the SQLite triggers:
    rebuilding a table on SQLite drops them.
    """

    article = models.OneToOneField(
        "content.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title = models.TextField(blank=True)
    subtitle = models.TextField(blank=True)
    body = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    people = models.TextField(blank=True, help_text=_("The byline's names."))
    works = models.TextField(
        blank=True, help_text=_("Titles, authors and keys of the works cited.")
    )
    # [[offset in `notes`, note number], ...]: which note a hit in `notes` is in.
    note_starts = models.JSONField(default=list, blank=True)
    # text_digest() of the row as written: the static export re-splits into words
    # only rows whose digest changed, without reading the others' text.
    digest = models.CharField(max_length=24, blank=True, default="")

    class Meta:
        verbose_name = _("search document")

    def __str__(self) -> str:
        return self.title

    TEXT_FIELDS = ("title", "subtitle", "people", "works", "body", "notes")

    def text_digest(self) -> str:
        """A digest of the searchable text (every field but note_starts)."""
        digest = hashlib.blake2b(digest_size=12)
        for name in self.TEXT_FIELDS:
            digest.update(getattr(self, name).encode() + b"\0")
        return digest.hexdigest()


# Related reading (discovery.related): stored when articles are published, edited
# or withdrawn, read by article pages and the static export.


class TermFrequency(models.Model):
    """How many indexed articles use a term: the IDF of related reading's weights."""

    term = models.CharField(max_length=40, primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term


class ArticleTerms(models.Model):
    """Every distinct term of an indexed article's text, as counted in TermFrequency,
    so a change can take back exactly what the article's last text added."""

    article = models.OneToOneField(
        "content.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    terms = models.TextField(blank=True, help_text=_("Space-separated."))

    def __str__(self) -> str:
        return str(self.article_id)


class RelatedTerm(models.Model):
    """One of an article's heaviest terms, with its weight: looked up by term, so
    the articles sharing what one is about are found without reading the corpus."""

    term = models.CharField(max_length=40)
    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="+"
    )
    weight = models.FloatField()

    class Meta:
        indexes = [
            models.Index(
                fields=["term", "-weight", "-article"], name="related_term_rank"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "term"], name="related_term_once"
            )
        ]

    def __str__(self) -> str:
        return self.term


class RelatedArticle(models.Model):
    """One entry of an article's stored "Read more" list, best first (rank 0)."""

    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="+"
    )
    related = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "rank"], name="related_article_rank"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id}"
