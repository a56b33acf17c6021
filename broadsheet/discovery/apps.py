"""App configuration for discovery (search index, related reading)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "broadsheet.discovery"
    verbose_name = _("Discovery")

    def ready(self) -> None:
        from broadsheet.discovery.related import receivers as related_receivers
        from broadsheet.discovery.search import receivers

        receivers.connect()
        related_receivers.connect()
