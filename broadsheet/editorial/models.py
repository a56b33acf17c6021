"""The newsroom's records: revisions of articles, workflow steps, share-draft links."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from broadsheet.content.models import Article


class Revision(models.Model):
    """A snapshot of what a writer saved: text, byline and terms.

    Every save that changes content keeps one; a run of autosaves by one person
    coalesces into one row. A pending revision holds edits to a live article
    that readers do not see until it is published over the live text; a
    conflict revision keeps a save refused because someone else saved first,
    so nothing typed is lost.
    """

    class Kind(models.TextChoices):
        SAVED = "saved", _("Saved")
        RESTORED = "restored", _("Restored")
        PENDING = "pending", _("Pending changes")
        PUBLISHED = "published", _("Changes published")
        DISCARDED = "discarded", _("Pending changes discarded")
        CONFLICT = "conflict", _("Refused: edited by someone else")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    autosave = models.BooleanField(default=False)
    content = models.JSONField(
        help_text=_("title, subtitle, excerpt, body, authors, categories, tags.")
    )
    # label -> digest of the note's text, and the keys cited: what History
    # compares to say which notes and citations a revision changed.
    notes = models.JSONField(default=dict)
    cited_keys = models.JSONField(default=list)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="unique_revision_number"
            )
        ]
        verbose_name = _("revision")

    def __str__(self) -> str:
        return f"{self.article} #{self.number} ({self.label})"

    @property
    def label(self) -> str:
        """What this revision was, as History names it."""
        if self.autosave and self.kind in (self.Kind.SAVED, self.Kind.PENDING):
            return "Autosaved" + (
                " (pending)" if self.kind == self.Kind.PENDING else ""
            )
        return str(self.get_kind_display())


class WorkflowEvent(models.Model):
    """One step of an article's life: who moved it from which state to which."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="workflow_events"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["article", "-at", "-id"]
        verbose_name = _("workflow step")

    def __str__(self) -> str:
        return f"{self.article}: {self.action}"


class ShareLink(models.Model):
    """An expiring link that lets someone without an account read a draft.

    Only a hash of the token is stored: the database alone cannot open drafts.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")

    def __str__(self) -> str:
        return f"{self.article} until {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """A security-relevant event: who did what, when, from where.

    Written by editorial.audit; administrators read them in the admin. The actor's
    name is kept as text too, so the log still says who when an account is gone.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login-failed", _("login failed")
        LOGOUT = "logout", _("logged out")
        LOCKED_OUT = "locked-out", _("locked out")
        TWO_FACTOR_ON = "two-factor-on", _("two-factor authentication turned on")
        ROLE_CHANGED = "role-changed", _("role changed")
        PUBLISHED = "published", _("published")
        SCHEDULED = "scheduled", _("scheduled")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CHANGES_PUBLISHED = "changes-published", _("changes published")
        IMPORTED = "imported", _("imported")
        RESTORED = "restored", _("restored")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.target}"
