"""App configuration for the editorial back office."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "broadsheet.editorial"
    verbose_name = _("Editorial")
