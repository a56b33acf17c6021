"""App configuration for readership."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadershipConfig(AppConfig):
    name = "broadsheet.readership"
    verbose_name = _("Readership")
