"""View counters: one running total per article and one row per article per day."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from broadsheet.content.models import Article


class DailyViews(models.Model):
    """Views of one article on one day (UTC); totals and most-read lists sum these."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField()
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="one_row_per_day")
        ]
        indexes = [models.Index(fields=["day", "article"])]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.count}"


class FlushedBatch(models.Model):
    """A batch of buffered view counts already added to DailyViews.

    Inserted in the same transaction as the counts, so a batch that is retried after
    a crash (its Redis key outlived the commit) is recognised and not counted twice.
    """

    name = models.CharField(max_length=100, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flushed view batch")

    def __str__(self) -> str:
        return self.name
