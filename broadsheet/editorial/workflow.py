"""Moving an article through draft, review, scheduled, published and withdrawn.

Each step checks the user's role on the server (editorial.roles), goes through
publishing's services (which refuse an article with errors or no author), and
is written down as a WorkflowEvent with who and when.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from broadsheet.content.models import LIVE_STATUSES, Article
from broadsheet.editorial import audit, revisions, roles
from broadsheet.editorial.models import Revision, WorkflowEvent
from broadsheet.publishing import services as publishing

Status = Article.Status


class StepRefused(Exception):
    """A step that cannot be taken from the article's state; the message says why."""


def submit_for_review(article: Article, user) -> None:
    """A writer hands a draft to the editors."""
    _require(roles.can_edit(user, article))
    _require_state(article, (Status.DRAFT, Status.WITHDRAWN), "submitted for review")
    _move(article, user, "submitted for review", Status.REVIEW)


def return_to_draft(article: Article, user) -> None:
    """Take an article back out of review (its writer, or an editor)."""
    _require(roles.can_edit(user, article))
    _require_state(article, (Status.REVIEW,), "returned to draft")
    _move(article, user, "returned to draft", Status.DRAFT)


def publish(article: Article, user, *, at: datetime.datetime | None = None) -> None:
    """Publish now, or schedule for `at` in the future."""
    _require(roles.can_publish(user, article))
    if revisions.open_pending(article):
        raise StepRefused("it has pending changes: publish or discard them first")
    with transaction.atomic():
        _fresh(article)
        before = article.status
        publishing.publish_article(article, at=at)
        action = "scheduled" if article.status == Status.SCHEDULED else "published"
        detail = f"for {article.published_at:%Y-%m-%d %H:%M %Z}" if at else ""
        _event(article, user, action, before, detail=detail)


def withdraw(article: Article, user) -> None:
    """Take a live or scheduled article off the public site."""
    _require(roles.can_publish(user, article))
    _require_state(article, LIVE_STATUSES, "withdrawn")
    with transaction.atomic():
        _fresh(article)
        before = article.status
        publishing.unpublish_article(article)
        _event(article, user, "withdrawn", before)


def publish_changes(article: Article, user) -> None:
    """Put a live article's pending changes before readers."""
    _require(roles.can_publish(user, article))
    pending = revisions.open_pending(article)
    if pending is None:
        raise StepRefused("there are no pending changes to publish")
    with transaction.atomic():
        _fresh(article)
        revisions.apply_text(article, pending.content)
        publishing.save_article(article, authors=revisions.byline_of(pending.content))
        revisions.apply_terms(article, pending.content)
        _bump_version(article)
        revisions.record(
            article,
            dict(pending.content),
            Revision.Kind.PUBLISHED,
            user=user,
            document=getattr(article, "rendered_document", None),
        )
        _event(article, user, "changes published", article.status)


def discard_changes(article: Article, user) -> None:
    """Drop a live article's pending changes (they stay in History)."""
    _require(roles.can_edit(user, article))
    pending = revisions.open_pending(article)
    if pending is None:
        raise StepRefused("there are no pending changes to discard")
    with transaction.atomic():
        revisions.record(
            article, dict(pending.content), Revision.Kind.DISCARDED, user=user
        )
        _bump_version(article)
        _event(article, user, "pending changes discarded", article.status)


# The steps a form may ask for by name, with the label of their button.
STEPS: dict[str, tuple[str, Callable[..., None]]] = {
    "submit": ("Submit for review", submit_for_review),
    "return": ("Return to draft", return_to_draft),
    "publish": ("Publish", publish),
    "withdraw": ("Withdraw", withdraw),
    "publish_changes": ("Publish changes", publish_changes),
    "discard_changes": ("Discard pending changes", discard_changes),
}


# The steps that need the right to publish (editorial.roles.can_publish).
PUBLISHING_STEPS = ("publish", "withdraw", "publish_changes")


def available_steps(article: Article, user) -> list[str]:
    """The steps this user may take on the article now, for the buttons shown."""
    steps = []
    pending = article.pk is not None and revisions.open_pending(article) is not None
    if article.status in (Status.DRAFT, Status.WITHDRAWN) and roles.can_edit(
        user, article
    ):
        steps.append("submit")
    if article.status == Status.REVIEW and roles.can_edit(user, article):
        steps.append("return")
    if roles.can_publish(user, article):
        if not pending and article.status != Status.PUBLISHED:
            steps.append("publish")
        if article.status in LIVE_STATUSES:
            steps.append("withdraw")
        if pending:
            steps.append("publish_changes")
    if pending and roles.can_edit(user, article):
        steps.append("discard_changes")
    return steps


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this step on this article.")


def _require_state(article: Article, states, step: str) -> None:
    if article.status not in states:
        raise StepRefused(
            f"an article that is {article.get_status_display().lower()}"
            f" cannot be {step}"
        )


def _fresh(article: Article) -> None:
    """Reload the row under a lock: a step saves the whole article, and must not
    write back text someone changed since the page was loaded."""
    article.refresh_from_db(from_queryset=Article.objects.for_update())


def _bump_version(article: Article) -> None:
    """Count a change of the working text, so forms loaded before it are stale."""
    article.version += 1
    Article.objects.filter(pk=article.pk).update(version=article.version)


def _move(article: Article, user, action: str, to: str) -> None:
    with transaction.atomic():
        _fresh(article)
        before = article.status
        article.status = to
        publishing.save_article(article)
        _event(article, user, action, before)


# The steps the audit log records too: what readers see changes.
AUDITED = {
    "published": audit.Kind.PUBLISHED,
    "scheduled": audit.Kind.SCHEDULED,
    "withdrawn": audit.Kind.WITHDRAWN,
    "changes published": audit.Kind.CHANGES_PUBLISHED,
}


def _event(article: Article, user, action: str, before: str, detail: str = "") -> None:
    if action in AUDITED:
        audit.record(
            AUDITED[action],
            actor=user,
            target=f"{article.title} (#{article.pk}, /articles/{article.slug}/)",
            detail=detail,
        )
    WorkflowEvent.objects.create(
        article=article,
        action=action,
        from_status=before,
        to_status=article.status,
        user=user,
        at=timezone.now(),
        detail=detail,
    )
