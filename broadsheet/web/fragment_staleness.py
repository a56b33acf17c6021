"""Delete article fragments inside the transaction of any change to what they show.

The article, its byline and republication line, tags and categories linked from
either side, an author, tag or category renamed or deleted, the site's settings
(its name is in every fragment). A rolled-back change leaves the fragments as they
were; a committed one has removed them before any reader can see the old text.

An article published or edited while live has its fragments rendered again as soon
as the change is committed (publishing.signals.published), as its Markdown was on
save: its first reader, and a static export of thousands, find them ready.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from broadsheet.content.models import (
    Article,
    ArticleAuthor,
    Author,
    Category,
    Republication,
    SiteSettings,
    Tag,
)
from broadsheet.content.term_links import term_link_change
from broadsheet.publishing import announcements, signals
from broadsheet.web.fragments import render_missing
from broadsheet.web.models import ArticleFragments


def forget(article_ids: Iterable[int]) -> None:
    """Delete these articles' fragments (inside the caller's transaction); in bulk
    work, 500 articles' at a time before it commits (announcements.owe)."""
    if announcements.in_bulk():
        announcements.owe(_delete, article_ids)
    else:
        _delete(article_ids)


def _delete(article_ids: Iterable[int]) -> None:
    ArticleFragments.objects.filter(article_id__in=list(article_ids)).delete()


def _on_article_saved(sender, instance: Article, **kwargs) -> None:
    forget([instance.pk])


def _on_byline_changed(sender, instance, **kwargs) -> None:
    forget([instance.article_id])


def _on_author_saved(sender, instance: Author, **kwargs) -> None:
    forget(
        ArticleAuthor.objects.filter(author=instance).values_list(
            "article_id", flat=True
        )
    )


def _on_term_changed(sender, instance, **kwargs) -> None:
    # pre_delete for terms: the link rows go with the term, without m2m signals.
    forget(instance.articles.values_list("pk", flat=True))


def _on_terms_linked(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    change = term_link_change(sender, instance, action, reverse, pk_set)
    if change is not None:
        forget(change.article_ids)


def _on_published(sender, article: Article, **kwargs) -> None:
    render_missing([article.pk])  # sent once the change is committed


def _on_site_saved(sender, **kwargs) -> None:
    ArticleFragments.objects.all().delete()  # the site's name is in every one


def connect() -> None:
    """Connect the staleness receivers; called once from WebConfig.ready()."""
    post_save.connect(_on_article_saved, sender=Article)
    for model in (ArticleAuthor, Republication):
        post_save.connect(_on_byline_changed, sender=model)
        post_delete.connect(_on_byline_changed, sender=model)
    post_save.connect(_on_author_saved, sender=Author)
    for model in (Tag, Category):
        post_save.connect(_on_term_changed, sender=model)
        pre_delete.connect(_on_term_changed, sender=model)
    for through in (Article.tags.through, Article.categories.through):
        m2m_changed.connect(_on_terms_linked, sender=through)
    post_save.connect(_on_site_saved, sender=SiteSettings)
    signals.published.connect(_on_published)
