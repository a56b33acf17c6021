"""A journal of surface invalidations, so the static export knows what changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurfaceChange(models.Model):
    """One surface invalidated at one moment (see publishing.surfaces).

    The page cache itself needs only version tokens; the static export asks "which
    surfaces changed since my last run?" in one query instead of comparing tokens
    for every page of a large site.
    """

    surface = models.CharField(max_length=200)
    changed_ns = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("surface change")
        # The table the web app created before the page cache had an app of its
        # own: moving the model kept it (migrations pagecache 0001, web 0005).
        db_table = "web_surfacechange"

    def __str__(self) -> str:
        return f"{self.surface} at {self.changed_ns}"
