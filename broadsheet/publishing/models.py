"""Publishing's own rows: job leases, and redirects from old addresses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lease(models.Model):
    """The right to run one job (`name`) until `expires_at`, held by one process.

    Taken and renewed with one conditional upsert (publishing.scheduler.take_lease),
    so two processes never both hold it; a holder that dies stops renewing and its
    lease runs out for another to take.
    """

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    holder = models.CharField(
        _("holder"), max_length=200, help_text=_("host, process id and a random token")
    )
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class Redirect(models.Model):
    """An old address (from a site moved in) that now lives at an article or page.

    The target is a row, not a path, so the redirect follows later slug changes;
    it answers only while the target is live, so it never reveals a draft.
    """

    old_path = models.CharField(
        _("old path"),
        max_length=500,
        unique=True,
        help_text=_("The path the old site used, e.g. /2019/04/02/locking-a-forme/."),
    )
    article = models.ForeignKey(
        "content.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    page = models.ForeignKey(
        "content.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    # A fixed address for what is not a row of its own here: a category's,
    # tag's or author's page, a feed, a media file.
    target_path = models.CharField(_("new path"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("redirect")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    article__isnull=False, page__isnull=True, target_path=""
                )
                | models.Q(article__isnull=True, page__isnull=False, target_path="")
                | models.Q(article__isnull=True, page__isnull=True, target_path__gt=""),
                name="redirect_to_article_page_or_path",
            )
        ]

    def __str__(self) -> str:
        return self.old_path

    def target_url(self) -> str | None:
        """Where the old path now lives, while that is public; else None."""
        if self.article is not None:
            return self.article.get_absolute_url() if self.article.is_live else None
        if self.page is not None and self.page.is_published:
            return self.page.get_absolute_url()
        return self.target_path or None
