"""Rewrite index rows inside the transaction of changes made outside publishing.

Publishing writes an article's row itself (search.index_article, called by its
services). Two other changes alter what a row holds: an author renamed (the
byline's names are indexed) and a cited work edited (its title and authors
are). Django's model signals run inside the saving transaction, as web's
fragment staleness does, so the index never shows a name that is gone.
Tags, categories and the live rule are read from the content tables at search
time (search.filters): they need nothing here.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from broadsheet.content.models import ArticleAuthor, Author, Citation
from broadsheet.discovery.search.index import index_articles
from broadsheet.sources.models import Work


def _on_author_saved(sender, instance: Author, created: bool, **kwargs) -> None:
    fields = kwargs.get("update_fields")
    if not created and (fields is None or "name" in fields):
        index_articles(
            ArticleAuthor.objects.filter(author=instance).values_list(
                "article_id", flat=True
            )
        )


def _on_work_saved(sender, instance: Work, created: bool, **kwargs) -> None:
    # A new work is cited by nothing yet: a bibliography import of thousands
    # pays no query per work.
    if not created:
        index_articles(
            Citation.objects.filter(work=instance).values_list("article_id", flat=True)
        )


def connect() -> None:
    """Connect the receivers; called once from DiscoveryConfig.ready()."""
    post_save.connect(_on_author_saved, sender=Author)
    post_save.connect(_on_work_saved, sender=Work)
