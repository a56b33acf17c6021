"""Keep related reading in step with changes made outside publishing's services.

Tags and categories are linked after an article is saved (the admin's save_m2m,
the newsroom, importers), so their m2m_changed recomputes the lists, inside the
same transaction. The page cache already retires the pages concerned: article
pages carry their terms' list surfaces (web.views.article).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, pre_delete

from broadsheet.content.models import Article
from broadsheet.content.term_links import term_link_change
from broadsheet.discovery.related import bulk, lists, vectors

_CLEARED = "_related_cleared_articles"


def _on_terms_linked(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "post_clear":  # the articles pre_clear read before the links went
        article_ids = getattr(instance, _CLEARED, [])
    else:
        change = term_link_change(sender, instance, action, reverse, pk_set)
        if change is None:
            return
        article_ids = change.article_ids
        if action == "pre_clear":
            setattr(instance, _CLEARED, article_ids)
            return
    if bulk.defer(article_ids):  # an import: related together as it ends
        return
    for article_id in article_ids:
        lists.update_for(article_id, text_changed=False)


def _on_article_deleted(sender, instance: Article, **kwargs) -> None:
    # Its terms counted in the frequencies, and it sits in other lists: a list
    # left short would claim there is nothing else to show.
    lists.lock_for_writing()
    holding = list(lists.holding(instance.pk))
    vectors.remove_terms(instance.pk)
    lists.store(instance.pk, [])
    for article_id in holding:
        lists.recompute(article_id, excluding=instance.pk)


def connect() -> None:
    """Connect the receivers; called once from DiscoveryConfig.ready()."""
    for through in (Article.tags.through, Article.categories.through):
        m2m_changed.connect(_on_terms_linked, sender=through)
    pre_delete.connect(_on_article_deleted, sender=Article)
