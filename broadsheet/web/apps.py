"""App configuration for the public site."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "broadsheet.web"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from broadsheet.web import fragment_staleness, image_use

        fragment_staleness.connect()
        image_use.connect()
