"""What an import brought in, so that running it again updates instead of doubling."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from broadsheet.content.models import Article, Page
from broadsheet.media.models import Image


class ImportedItem(models.Model):
    """A WordPress post or page an import created, keyed by its site and post id.

    The content models keep no trace of WordPress; this row does: which article
    or page the post became, the permalink it had (for redirects), a fingerprint
    of the text the import wrote (a re-run leaves alone what an editor changed
    since) and the views it brought (a re-run adds only the difference).
    """

    source = models.CharField(_("source site"), max_length=300)
    wp_id = models.PositiveBigIntegerField(_("WordPress post id"))
    wp_type = models.CharField(_("WordPress post type"), max_length=20)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # An attachment brought into the media library (--media-dir).
    image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    permalink = models.CharField(_("WordPress permalink"), max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    views = models.PositiveBigIntegerField(_("views imported"), default=0)
    views_day = models.DateField(_("day the views were counted on"), null=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "wp_id"], name="one_import_per_post"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    article__isnull=False, page__isnull=True, image__isnull=True
                )
                | models.Q(article__isnull=True, page__isnull=False, image__isnull=True)
                | models.Q(
                    article__isnull=True, page__isnull=True, image__isnull=False
                ),
                name="imported_as_article_page_or_image",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.wp_id}"


def fingerprint(obj: Article | Page) -> str:
    """What an editor may change after an import: title, body and excerpt."""
    text = "\0".join([obj.title, obj.body, getattr(obj, "excerpt", "")])
    return hashlib.sha256(text.encode()).hexdigest()


def may_update(imported: ImportedItem, kind: str, label: str, report) -> bool:
    """Whether a re-run may write over what an earlier import made: not when it
    became another kind of row, nor when an editor changed it since (both are
    reported: the import never overwrites what someone wrote in Broadsheet)."""
    if imported.wp_type != kind:
        report.warn(f"{label}: imported before as a {imported.wp_type}, left as it was")
        return False
    if fingerprint(imported.article or imported.page) != imported.fingerprint:
        report.count(f"{kind}s kept (edited in Broadsheet since)")
        report.warn(f"{label}: changed in Broadsheet since the last import, kept")
        return False
    return True
