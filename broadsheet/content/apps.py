"""App configuration for content."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "broadsheet.content"
    verbose_name = _("Content")
