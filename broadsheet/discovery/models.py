"""The search index's stored text: one row per article that is or will be live."""

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

    class Meta:
        verbose_name = _("search document")

    def __str__(self) -> str:
        return self.title
