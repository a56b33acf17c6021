"""Receivers that turn content changes into page-cache invalidation (Wagtail-style)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
from broadsheet.content.term_links import term_link_change
from broadsheet.pagecache import store
from broadsheet.publishing import announcements, signals, surfaces
from broadsheet.publishing.models import Redirect
from broadsheet.sources import signals as source_signals
from broadsheet.sources.models import Work


def on_surfaces_changed(sender, *, surfaces: set[str], **kwargs) -> None:
    store.invalidate(surfaces)


def invalidate_on_commit(changed: set[str]) -> None:
    """Retire pages showing `changed` once the transaction commits, unless bulk
    work will announce the whole site then (publishing.announcements)."""
    if not announcements.in_bulk():
        transaction.on_commit(lambda: store.invalidate(changed))


def on_row_changed(sender, instance, **kwargs) -> None:
    """Authors, tags, categories, pages and settings are shown by name everywhere."""
    changed = {surfaces.row_surface(sender._meta.model_name, instance.pk)}
    if sender is Page or sender is SiteSettings:
        changed.add(surfaces.SITE)  # footer links and site name sit on every page
    if sender is Author:
        changed.add(surfaces.AUTHOR_INDEX)
    if sender is Tag or sender is Category:
        changed.add(surfaces.term_index_surface(sender._meta.model_name))
    if sender is Category and instance.parent_id:  # it is listed on its parent's page
        changed.add(surfaces.row_surface("category", instance.parent_id))
    invalidate_on_commit(changed)


def on_work_changed(sender, **kwargs) -> None:
    invalidate_on_commit({surfaces.SOURCES})


def on_article_deleted(sender, instance: Article, **kwargs) -> None:
    changed = {surfaces.article_surface(instance.pk), surfaces.ALL_LISTS}
    invalidate_on_commit(changed)


def on_terms_linked(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """Tags and categories linked outside save_article (which announces its own
    changes), e.g. by the demo loader or the shell: a live article and the term's
    lists (and the related reading drawn from them) show the link."""
    if announcements.in_bulk():
        return  # the whole site is announced at the end
    change = term_link_change(sender, instance, action, reverse, pk_set)
    if change is None:
        return
    live = Article.objects.live().filter(pk__in=change.article_ids)
    shown = {surfaces.article_surface(pk) for pk in live.values_list("pk", flat=True)}
    if not shown:
        return  # drafts' links show nowhere
    changed = shown | {surfaces.list_surface(change.kind, pk) for pk in change.term_ids}
    changed.add(surfaces.term_index_surface(change.kind))  # its counts
    invalidate_on_commit(changed)


def on_redirect_changed(sender, **kwargs) -> None:
    """A redirect added, retargeted or removed (the shell, a re-import): cached
    301s go, and the hot path reads the old home-page queries again."""
    invalidate_on_commit({surfaces.REDIRECTS})


def on_footer_changed(sender, **kwargs) -> None:
    invalidate_on_commit({surfaces.SITE})


def connect() -> None:
    """Connect every receiver; called once from WebConfig.ready()."""
    signals.surfaces_changed.connect(on_surfaces_changed)
    for model in (Author, Category, Tag, Page, SiteSettings):
        post_save.connect(on_row_changed, sender=model)
        post_delete.connect(on_row_changed, sender=model)
    post_delete.connect(on_article_deleted, sender=Article)
    post_save.connect(on_work_changed, sender=Work)
    post_save.connect(on_redirect_changed, sender=Redirect)
    post_delete.connect(on_redirect_changed, sender=Redirect)
    post_delete.connect(on_work_changed, sender=Work)
    source_signals.works_changed.connect(on_work_changed)  # imports, in bulk
    m2m_changed.connect(on_footer_changed, sender=SiteSettings.footer_pages.through)
    for through in (Article.tags.through, Article.categories.through):
        m2m_changed.connect(on_terms_linked, sender=through)
