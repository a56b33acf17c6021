"""App configuration for the public site."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "broadsheet.web"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from broadsheet.web import fragment_staleness

        fragment_staleness.connect()
