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
