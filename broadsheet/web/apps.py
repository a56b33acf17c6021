"""App configuration for the public site."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "broadsheet.web"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from django.core import checks

        from broadsheet.web import back_office, fragment_staleness, invalidation

        checks.register(back_office.check_back_office_middleware)

        invalidation.connect()
        fragment_staleness.connect()
