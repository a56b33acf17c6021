"""App configuration for the front end: it has no models, only a system check."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    name = "broadsheet.serving"
    verbose_name = _("Serving")

    def ready(self) -> None:
        from django.core import checks

        from broadsheet.serving import back_office

        checks.register(back_office.check_back_office_middleware)
