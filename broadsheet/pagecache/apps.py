"""App configuration for the page cache."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "broadsheet.pagecache"
    verbose_name = _("Page cache")

    def ready(self) -> None:
        from broadsheet.pagecache import invalidation

        invalidation.connect()
