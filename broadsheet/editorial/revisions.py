"""Revisions: snapshots of an article's editable content, kept on every change."""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Max
from django.utils import timezone

from broadsheet.content.models import Article, Author, Category, Tag
from broadsheet.editorial.models import Revision
from broadsheet.rendering import RenderedDocument

TEXT_FIELDS = ("title", "subtitle", "excerpt", "body")
# Autosaves by one writer within this span of each other share one revision.
AUTOSAVE_COALESCE = datetime.timedelta(minutes=30)

Content = dict[str, object]


def snapshot(article: Article) -> Content:
    """The article's editable content as stored now."""
    content: Content = {name: getattr(article, name) for name in TEXT_FIELDS}
    content["featured_image"] = article.featured_image_id
    content["sticky"] = article.sticky
    if article.pk is None:
        return {**content, "authors": [], "categories": [], "tags": []}
    content["authors"] = list(
        article.article_authors.order_by("position", "id").values_list(
            "author_id", flat=True
        )
    )
    content["categories"] = sorted(article.categories.values_list("pk", flat=True))
    content["tags"] = sorted(article.tags.values_list("pk", flat=True))
    return content


def open_pending(article: Article) -> Revision | None:
    """The pending changes of a live article not yet published, if any."""
    latest = article.revisions.order_by("-number").first()
    return latest if latest and latest.kind == Revision.Kind.PENDING else None


def working_content(article: Article) -> Content:
    """What the editor opens: the pending changes if there are any, else the article."""
    pending = open_pending(article)
    return dict(pending.content) if pending else snapshot(article)


def apply_text(article: Article, content: Content) -> None:
    """Copy the text fields, featured image and lead-story flag of `content` onto
    the article (no save)."""
    for name in TEXT_FIELDS:
        setattr(article, name, content.get(name, "") or "")
    article.featured_image_id = content.get("featured_image")
    article.sticky = bool(content.get("sticky"))


def byline_of(content: Content) -> list[Author]:
    """The content's authors, in byline order."""
    ids = list(content.get("authors") or [])
    found = Author.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def apply_terms(article: Article, content: Content) -> None:
    """Set the article's categories and tags to those of `content`."""
    article.categories.set(
        Category.objects.filter(pk__in=content.get("categories") or [])
    )
    article.tags.set(Tag.objects.filter(pk__in=content.get("tags") or []))


def record(
    article: Article,
    content: Content,
    kind: str,
    *,
    user,
    document: RenderedDocument | None = None,
    autosave: bool = False,
    restored_from: int | None = None,
) -> Revision | None:
    """Keep a revision of `content`; None when nothing changed since the last one.

    An autosave right after the same writer's previous autosave of the same kind
    replaces it, so a long session leaves one revision, not hundreds.
    """
    latest = article.revisions.order_by("-number").first()
    facts = _facts(document) if document else {}
    if (
        latest
        and latest.kind == kind
        and latest.content == content
        and not restored_from
    ):
        return None
    if (
        autosave
        and latest
        and latest.autosave
        and latest.kind == kind
        and latest.created_by_id == getattr(user, "pk", None)
        and timezone.now() - latest.created_at < AUTOSAVE_COALESCE
    ):
        latest.content = content
        latest.created_at = timezone.now()
        for name, value in facts.items():
            setattr(latest, name, value)
        latest.save()
        return latest
    number = (article.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    return Revision.objects.create(
        article=article,
        number=number,
        kind=kind,
        autosave=autosave,
        content=content,
        restored_from=restored_from,
        created_by=user if getattr(user, "pk", None) else None,
        **facts,
    )


def _facts(document: RenderedDocument) -> dict[str, object]:
    notes = {
        note.label: hashlib.sha1(note.html.encode(), usedforsecurity=False).hexdigest()
        for note in document.notes
    }
    keys = sorted({use.key for use in document.citations})
    return {"notes": notes, "cited_keys": keys}
