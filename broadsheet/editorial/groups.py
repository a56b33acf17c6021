"""The Django groups behind the newsroom roles, and the admin permissions each holds.

Roles are groups so that the stock user admin can show and change them; the
permissions below only open the Django admin's pages. What a role may do in
the newsroom is decided in editorial.roles, never by these permissions.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from broadsheet.editorial.roles import Role

ACTIONS = ("add", "change", "delete", "view")
# (app label, model) pairs each role manages in the Django admin.
EDITOR_MODELS = [
    ("sources", "work"),
    ("content", "author"),
    ("content", "authorlink"),
    ("content", "category"),
    ("content", "tag"),
    ("content", "page"),
    ("media", "image"),
]
ADMINISTRATOR_MODELS = EDITOR_MODELS + [
    ("auth", "user"),
    ("content", "sitesettings"),
    ("content", "article"),
    ("content", "republication"),
    ("content", "articleauthor"),
]
MODELS_OF_ROLE = {
    Role.CONTRIBUTOR: [],
    Role.AUTHOR: [],
    Role.EDITOR: EDITOR_MODELS,
    Role.ADMINISTRATOR: ADMINISTRATOR_MODELS,
}
# Models that are the site's machinery, not its content: never offered in
# permission lists or admin menus.
INTERNAL_APPS = (
    "admin",
    "contenttypes",
    "sessions",
    "axes",
    "pagecache",
    "web",
    "serving",
    "readership",
    "discovery",
    "publishing",
    "editorial",
)


def ensure_role_groups(app_config=None, **_signal_kwargs) -> None:
    """Create each role's group with its permissions (after every migrate).

    post_migrate is sent once per app; the permissions of all apps exist only
    after the last one, so the groups are built then.
    """
    if app_config is not None and app_config != list(apps.get_app_configs())[-1]:
        return
    for role, models in MODELS_OF_ROLE.items():
        group, _created = Group.objects.get_or_create(name=role.label)
        codenames = [
            f"{action}_{model}" for _app, model in models for action in ACTIONS
        ]
        wanted = Permission.objects.filter(
            content_type__app_label__in={app for app, _model in models},
            codename__in=codenames,
        )
        group.permissions.set(wanted)


def offered_permissions():
    """The permissions an administrator may grant by hand: content ones only."""
    return (
        Permission.objects.exclude(content_type__app_label__in=INTERNAL_APPS)
        # Groups are the roles, set through the role field, not by hand.
        .exclude(
            content_type__app_label="auth",
            content_type__model__in=["group", "permission"],
        )
        .select_related("content_type")
    )
