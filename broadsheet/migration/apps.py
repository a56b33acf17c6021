"""App configuration for migration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    name = "broadsheet.migration"
    verbose_name = _("Migration")
