"""Which articles and terms a change to articles' tags or categories touches.

Django sends m2m_changed from either side of the link (article.tags.add(tag) or
tag.articles.add(article)) and, for clear(), before the rows go with no ids at all;
the page cache and the stored fragments both need the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model

from broadsheet.content.models import Article

# clear() is answered at pre_clear, while the links it removes can still be read.
ACTIONS = ("post_add", "post_remove", "pre_clear")


@dataclass(frozen=True)
class TermLinkChange:
    kind: str  # "tag" or "category"
    article_ids: list[int]
    term_ids: list[int]


def term_link_change(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
) -> TermLinkChange | None:
    """The articles and terms an m2m_changed of Article.tags or Article.categories
    touches; None for the actions that change nothing (pre_add, post_clear...)."""
    if action not in ACTIONS:
        return None
    kind, relation = (
        ("tag", "tags")
        if sender is Article.tags.through
        else ("category", "categories")
    )
    if action == "pre_clear":  # the links clear() removes, read before they go
        related = instance.articles if reverse else getattr(instance, relation)
        linked = list(related.values_list("pk", flat=True))
    else:
        linked = list(pk_set or ())
    if reverse:  # instance is the term, the linked ids are articles
        return TermLinkChange(kind, article_ids=linked, term_ids=[instance.pk])
    return TermLinkChange(kind, article_ids=[instance.pk], term_ids=linked)
