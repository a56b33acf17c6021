"""Saving what a writer typed: no lost updates, pending changes to live articles.

Every save names the version of the article it was based on. The version is
bumped with one conditional UPDATE, atomic on SQLite and PostgreSQL alike: of
two saves based on the same version, exactly one goes through, and the other is
kept as a conflict revision and answered with what the first one saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from broadsheet.content import services as content_services
from broadsheet.content.models import Article
from broadsheet.editorial import revisions
from broadsheet.editorial.models import Revision
from broadsheet.editorial.revisions import Content
from broadsheet.publishing import services as publishing


@dataclass
class Saved:
    """A save that went through."""

    article: Article
    revision: Revision | None
    pending: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class Conflict:
    """A save refused because someone saved first; `theirs` is what they saved."""

    article: Article
    theirs: Content
    yours: Content
    revision: Revision
    by: str


def create_article(content: Content, *, user, slug: str = "") -> Saved:
    """Start a draft from `content`, owned by `user`, at `slug` (else one made
    from the title)."""
    with transaction.atomic():
        article = Article(
            created_by=user, slug=slug or _free_slug(str(content["title"]))
        )
        revisions.apply_text(article, content)
        problems = publishing.save_article(
            article, authors=revisions.byline_of(content)
        )
        revisions.apply_terms(article, content)
        revision = revisions.record(
            article,
            content,
            Revision.Kind.SAVED,
            user=user,
            document=_document(article),
        )
    return Saved(article, revision, pending=False, problems=problems)


def save_edit(
    article: Article,
    content: Content,
    *,
    user,
    base_version: int,
    autosave: bool = False,
    restored_from: int | None = None,
    slug: str = "",
) -> Saved | Conflict:
    """Save `content` over the article, unless someone saved since `base_version`.

    A live article keeps what readers see: the content becomes its pending
    changes. A draft, an article in review or one scheduled ahead is saved
    through publishing.save_article, which refuses errors in scheduled ones.
    """
    with transaction.atomic():
        bumped = Article.objects.filter(pk=article.pk, version=base_version).update(
            version=F("version") + 1
        )
        current = Article.objects.for_update().get(pk=article.pk)
        if not bumped:
            return _conflict(current, content, user=user)
        kind = Revision.Kind.RESTORED if restored_from else Revision.Kind.SAVED
        if current.is_live:
            document = content_services.render_source(str(content["body"]))
            revision = revisions.record(
                current,
                content,
                Revision.Kind.PENDING,
                user=user,
                document=document,
                autosave=autosave,
                restored_from=restored_from,
            )
            problems = [str(problem) for problem in document.problems]
            return Saved(current, revision, pending=True, problems=problems)
        revisions.apply_text(current, content)
        if slug and current.first_published_at is None:
            current.slug = slug  # an address is kept once readers have had it
        problems = publishing.save_article(
            current, authors=revisions.byline_of(content)
        )
        revisions.apply_terms(current, content)
        revision = revisions.record(
            current,
            content,
            kind,
            user=user,
            document=_document(current),
            autosave=autosave,
            restored_from=restored_from,
        )
    return Saved(current, revision, pending=False, problems=problems)


def _conflict(current: Article, content: Content, *, user) -> Conflict:
    pending = revisions.open_pending(current)
    theirs = dict(pending.content) if pending else revisions.snapshot(current)
    latest = current.revisions.order_by("-number").first()
    by = latest.created_by.get_username() if latest and latest.created_by else "someone"
    revision = revisions.record(current, content, Revision.Kind.CONFLICT, user=user)
    return Conflict(current, theirs=theirs, yours=content, revision=revision, by=by)


def _document(article: Article):
    """The rendering save_article just stored on the instance."""
    return getattr(article, "rendered_document", None)


def _free_slug(title: str) -> str:
    base = slugify(title)[:180] or "untitled"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
