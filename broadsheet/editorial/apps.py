"""App configuration for the newsroom (back office)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "broadsheet.editorial"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from broadsheet.editorial import audit
        from broadsheet.editorial.groups import ensure_role_groups

        audit.connect_lockouts()
        # After the last app's permissions exist: the groups name some of each.
        post_migrate.connect(ensure_role_groups)
