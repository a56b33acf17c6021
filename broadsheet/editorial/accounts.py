"""Newsroom accounts made for writers brought in from elsewhere (an import)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from broadsheet.content.models import Author
from broadsheet.editorial.roles import Role, assign

MAX_USERNAME = 150  # Django's User.username


@transaction.atomic
def account_for_writer(
    username: str, author: Author, *, email: str = "", role: Role = Role.AUTHOR
) -> str:
    """Give the writer of `author`'s byline an account linked to it, once.

    A new account has no usable password (an administrator sets one, or the
    writer asks for a reset) and the role given. An account already linked, or
    one of that username, is kept as it is: its role and password are never
    changed here, so a re-run (or an administrator's login) loses nothing.
    Returns "created", "linked" (an existing account, now linked) or "kept".
    """
    if author.user_id is not None:
        return "kept"
    user_model = get_user_model()
    username = username[:MAX_USERNAME]
    user = user_model.objects.filter(username=username).first()
    status = "linked"
    if user is None:
        user = user_model(username=username, email=email)
        user.set_unusable_password()
        user.save()
        assign(user, role)
        status = "created"
    elif Author.objects.filter(user=user).exists():
        return "kept"  # that account writes as someone else already
    author.user = user
    author.save(update_fields=["user"])
    return status
