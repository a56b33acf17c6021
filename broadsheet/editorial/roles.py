"""Newsroom roles and what each may do; every newsroom view asks here, on the server."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from broadsheet.content.models import LIVE_STATUSES, Article


class Role(enum.IntEnum):
    """Ordered: each role may do everything the ones below it may."""

    CONTRIBUTOR = 1  # writes own drafts, submits them for review
    AUTHOR = 2  # publishes own articles
    EDITOR = 3  # edits and publishes anyone's; sources, taxonomy, pages, media
    ADMINISTRATOR = 4  # users, roles, site settings

    @property
    def label(self) -> str:
        return self.name.capitalize()


def role_of(user) -> Role | None:
    """The user's highest role; None for anonymous and inactive users."""
    if isinstance(user, AnonymousUser) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    names = {group.name for group in user.groups.all()}
    held = [role for role in Role if role.label in names]
    return max(held) if held else None


def assign(
    user,
    role: Role | None,
    *,
    by=None,
    by_name: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Give the user exactly this role (None: no newsroom access); a change is
    written to the audit log as made `by` that user (or `by_name`).

    Editors and administrators reach the Django admin (sources, taxonomy, users),
    so they are staff; writers are not.
    """
    from broadsheet.editorial import audit  # audit's models import this module

    before = role_of(user) if user.pk else None
    user.groups.remove(*Group.objects.filter(name__in=[r.label for r in Role]))
    if role is not None:
        group, _created = Group.objects.get_or_create(name=role.label)
        user.groups.add(group)
    user.is_staff = role is not None and role >= Role.EDITOR
    user.save(update_fields=["is_staff"])
    if before != role:
        audit.record(
            audit.Kind.ROLE_CHANGED,
            actor=by,
            actor_name=by_name,
            target=user.get_username(),
            detail=f"{_label(before)} -> {_label(role)}",
            request=request,
        )


def _label(role: Role | None) -> str:
    return role.label if role else "no role"


def owns(user, article: Article) -> bool:
    """Whether the article is the user's own: in its byline, or started by them."""
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.article_authors.filter(author__user=user).exists()


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; authors their own; contributors their own unpublished."""
    role = role_of(user)
    if role is None:
        return False
    if role >= Role.EDITOR:
        return True
    if role == Role.CONTRIBUTOR and article.status in (*LIVE_STATUSES,):
        return False
    return owns(user, article)


def can_publish(user, article: Article) -> bool:
    """Publishing, scheduling and withdrawing: authors their own, editors any."""
    role = role_of(user)
    if role is None or role < Role.AUTHOR:
        return False
    return role >= Role.EDITOR or owns(user, article)


def can_pin(user) -> bool:
    """Making an article the front page's lead story is an editor's call."""
    return has_role(user, Role.EDITOR)


def has_role(user, minimum: Role) -> bool:
    role = role_of(user)
    return role is not None and role >= minimum


def role_required(minimum: Role) -> Callable:
    """View decorator: log in first, then hold at least `minimum`, else 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, minimum):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


newsroom_required = role_required(Role.CONTRIBUTOR)
