"""Publish, schedule, withdraw and re-render articles, each in one transaction."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from broadsheet.content import services as content_services
from broadsheet.content.models import LIVE_STATUSES, Article, Author
from broadsheet.discovery import related, search
from broadsheet.publishing import announcements, signals, surfaces


class PublishRefused(Exception):
    """Raised when an article cannot go live; the message lists every problem."""

    def __init__(self, article: Article, problems: Iterable[str]) -> None:
        self.article = article
        self.problems = list(problems)
        super().__init__(
            f"Cannot publish \u201c{article.title}\u201d: " + "; ".join(self.problems)
        )


@transaction.atomic
def save_article(
    article: Article,
    *,
    authors: Iterable[Author] | None = None,
    now: datetime.datetime | None = None,
) -> list[str]:
    """Render and save an article in its chosen status; return its problems.

    A draft saves with problems (returned so the editor sees them); a published or
    scheduled article with errors raises PublishRefused and nothing is written.
    Warnings (markup the page leaves out) never block; they are returned too.
    `authors` replaces the byline; without it the stored byline is kept.
    """
    now = now or timezone.now()
    authors = None if authors is None else list(authors)
    document = content_services.render_article(article)
    problems = [str(problem) for problem in document.problems]
    if article.status in LIVE_STATUSES:
        errors = [str(problem) for problem in document.errors]
        refusals = errors + byline_problems(article, authors)
        if refusals:
            raise PublishRefused(article, refusals)
        _stamp_publication(article, now)
    bulk = announcements.in_bulk()
    before = None if bulk else surfaces.Placement.of(article)
    article.updated_at = now
    new = article.pk is None
    article.save()
    content_services.store_citations(article, new=new)
    if authors is not None:
        content_services.set_byline(article, authors, new=new)
    lists: set[int] = set()
    if bulk:  # an import: index in batches, relate all as it ends (same transaction)
        announcements.owe(search.index_many, [article.pk])
        related.defer([article.pk])
    else:
        search.index_article(article)  # in this transaction: rolled back with it
        lists = related.update_for(article.pk, now=now)  # reads the index row
    if before is not None:
        _announce_on_commit(article, before=before, lists=lists)
    return problems


NO_AUTHOR = "the byline is empty: a published article needs at least one author"


def byline_problems(article: Article, authors: list[Author] | None) -> list[str]:
    """What keeps the byline from going live: none when it names an author."""
    if authors is None:
        has_author = article.pk is not None and article.article_authors.exists()
    else:
        has_author = bool(authors)
    return [] if has_author else [NO_AUTHOR]


def publish_article(
    article: Article, *, at: datetime.datetime | None = None
) -> Article:
    """Make an article live now, or schedule it when `at` lies in the future."""
    now = timezone.now()
    when = at or article.published_at or now
    article.published_at = when
    article.status = (
        Article.Status.SCHEDULED if when > now else Article.Status.PUBLISHED
    )
    save_article(article, now=now)
    return article


def unpublish_article(article: Article) -> Article:
    """Withdraw an article from the public site; it keeps its text and history."""
    article.status = Article.Status.WITHDRAWN
    save_article(article)
    return article


@transaction.atomic
def publish_due(now: datetime.datetime | None = None) -> list[Article]:
    """Flip scheduled articles whose time has come to published; return them.

    The rows are locked while they flip, so two passes at once (two processes, a
    cron job beside a server) publish each article once: the second finds nothing.
    After commit every page showing a flipped article is told it changed.
    """
    now = now or timezone.now()
    due = list(Article.objects.due_for_publication(now).for_update())
    changed: set[str] = set()
    for article in due:
        article.status = Article.Status.PUBLISHED
        article.save(update_fields=["status"])
        search.index_article(article)
        lists = related.update_for(article.pk, now=now)
        changed |= _flipped_surfaces(article) | set(
            map(surfaces.related_surface, lists)
        )
    if due:
        transaction.on_commit(lambda: _announce_flips(due, changed))
    return due


def _flipped_surfaces(article: Article) -> set[str]:
    """The surfaces a scheduled article joins at its time: pages cached before it
    did not show it, although the live rule already does."""
    # Published and due at `now`: live at `now` by the rule, whatever the
    # clock says (a pass may be given a `now` of its own).
    after = dataclasses.replace(surfaces.Placement.of(article), is_live=True)
    before = dataclasses.replace(after, is_live=False)
    return surfaces.changed_surfaces(article.pk, before, after)


def _announce_flips(articles: list[Article], changed: set[str]) -> None:
    for article in articles:
        signals.published.send(sender=Article, article=article)
    # One announcement for the pass: one page-cache invalidation, however many flipped.
    signals.surfaces_changed.send(sender=Article, surfaces=changed)


def rerender_all(
    *, progress: Callable[[object, list[str]], None] | None = None
) -> dict[str, int]:
    """Re-render every stored document after a pipeline change; return counts."""
    counts = {"documents": 0, "with_problems": 0}
    for obj in content_services.stale_documents():
        with transaction.atomic():
            problems = content_services.rerender(obj)
            if isinstance(obj, Article):
                search.index_article(obj)  # its text may have changed
                related.update_for(obj.pk)
        counts["documents"] += 1
        counts["with_problems"] += bool(problems)
        if progress:
            progress(obj, problems)
    signals.surfaces_changed.send(sender=Article, surfaces={surfaces.EVERYTHING})
    return counts


def _stamp_publication(article: Article, now: datetime.datetime) -> None:
    if article.published_at is None:
        article.published_at = now
    if article.status == Article.Status.PUBLISHED and article.published_at > now:
        article.status = Article.Status.SCHEDULED
    if article.first_published_at is None:
        article.first_published_at = article.published_at


def _announce_on_commit(
    article: Article, *, before: surfaces.Placement, lists: set[int]
) -> None:
    def send() -> None:
        after = surfaces.Placement.of(article)
        if after.is_live:
            signals.published.send(sender=Article, article=article)
        elif before.is_live:
            signals.unpublished.send(sender=Article, article=article)
        changed = surfaces.changed_surfaces(article.pk, before, after)
        # Pages whose stored related reading this change rewrote.
        changed |= {surfaces.related_surface(pk) for pk in lists}
        signals.surfaces_changed.send(sender=Article, surfaces=changed)

    transaction.on_commit(send)
