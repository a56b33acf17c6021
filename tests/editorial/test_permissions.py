"""The permission matrix: every role against every newsroom action, through HTTP.

Each action is a request a browser could send, whether or not the interface
offers it to that role; refused ones must answer 403 (or the login page) and
change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from broadsheet.content.models import Article
from broadsheet.editorial import revisions
from broadsheet.editorial.models import ShareLink
from broadsheet.editorial.roles import Role
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    """The acting user's own articles and someone else's, draft and live."""

    user: User | None
    own_draft: Article
    own_live: Article
    others_draft: Article
    others_live: Article


def edit_post(article: Article, **fields) -> dict:
    return {
        "title": article.title,
        "body": article.body,
        "version": article.version,
        "authors": [a.pk for a in article.ordered_authors],
        **fields,
    }


def status(article: Article) -> str:
    return Article.objects.get(pk=article.pk).status


def body(article: Article) -> str:
    return Article.objects.get(pk=article.pk).body


# Each action: (what the request is, how to tell it took effect).
def open_desk(c, s):
    return c.get("/newsroom/"), None


def create_article(c, s):
    r = c.post("/newsroom/articles/new/", {"title": "Made here", "body": "Text."})
    return r, Article.objects.filter(title="Made here").exists()


def edit_own_draft(c, s):
    a = s.own_draft
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, body="Edited."))
    return r, body(a) == "Edited."


def edit_others_draft(c, s):
    a = s.others_draft
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, body="Edited."))
    return r, body(a) == "Edited."


def autosave_others_draft(c, s):
    a = s.others_draft
    r = c.post(f"/newsroom/articles/{a.pk}/autosave/", edit_post(a, body="Auto."))
    return r, body(a) == "Auto."


def submit_own_draft(c, s):
    a = s.own_draft
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, step="submit"))
    return r, status(a) == Article.Status.REVIEW


def publish_own_draft(c, s):
    a = s.own_draft
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, step="publish"))
    return r, status(a) == Article.Status.PUBLISHED


def publish_others_draft(c, s):
    a = s.others_draft
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, step="publish"))
    return r, status(a) == Article.Status.PUBLISHED


def withdraw_own_live(c, s):
    a = s.own_live
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, step="withdraw"))
    return r, status(a) == Article.Status.WITHDRAWN


def withdraw_others_live(c, s):
    a = s.others_live
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, step="withdraw"))
    return r, status(a) == Article.Status.WITHDRAWN


def edit_own_live(c, s):
    a = s.own_live
    r = c.post(f"/newsroom/articles/{a.pk}/", edit_post(a, body="Fixed."))
    return r, revisions.open_pending(a) is not None


def preview_others_draft(c, s):
    return c.get(f"/preview/{s.others_draft.pk}/"), None


def share_others_draft(c, s):
    r = c.post(f"/newsroom/articles/{s.others_draft.pk}/share/", {"days": 1})
    return r, ShareLink.objects.exists()


def restore_others_revision(c, s):
    a = s.others_draft
    c_owner = Client()
    c_owner.force_login(a.created_by)
    for text in ("First.", "Second."):
        c_owner.post(f"/newsroom/articles/{a.pk}/", edit_post(a, body=text))
        a.refresh_from_db()
    r = c.post(f"/newsroom/articles/{a.pk}/history/1/restore/", {"version": a.version})
    return r, body(a) == "First."


def admin_sources(c, s):
    return c.get("/admin/sources/work/"), None


def admin_users(c, s):
    return c.get("/admin/auth/user/"), None


def admin_site_settings(c, s):
    return c.get("/admin/content/sitesettings/"), None


CONTRIBUTOR = {
    open_desk,
    create_article,
    edit_own_draft,
    submit_own_draft,
}
AUTHOR = CONTRIBUTOR | {publish_own_draft, withdraw_own_live, edit_own_live}
EDITOR = AUTHOR | {
    edit_others_draft,
    autosave_others_draft,
    publish_others_draft,
    withdraw_others_live,
    preview_others_draft,
    share_others_draft,
    restore_others_revision,
    admin_sources,
}
ADMINISTRATOR = EDITOR | {admin_users, admin_site_settings}
ALLOWED = {
    None: set(),
    "no role": set(),
    Role.CONTRIBUTOR: CONTRIBUTOR,
    Role.AUTHOR: AUTHOR,
    Role.EDITOR: EDITOR,
    Role.ADMINISTRATOR: ADMINISTRATOR,
}
ACTIONS = sorted(ADMINISTRATOR, key=lambda action: action.__name__)


def make_scene(role) -> Scene:
    if role is None:
        user = None
    elif role == "no role":
        user = User.objects.create_user("bystander", is_staff=True)
    else:
        user = make_user(role)
    other = make_user(Role.AUTHOR)
    mine = (
        dict(authors=[user.author], created_by=user) if isinstance(role, Role) else {}
    )

    def article(owner_fields, **fields):
        made = make_article(**{**owner_fields, **fields})
        if "created_by" in owner_fields:
            Article.objects.filter(pk=made.pk).update(
                created_by=owner_fields["created_by"]
            )
            made.refresh_from_db()
        return made

    theirs = dict(authors=[other.author], created_by=other)
    return Scene(
        user=user,
        own_draft=article(mine or theirs, status=Article.Status.DRAFT),
        own_live=article(mine or theirs),
        others_draft=article(theirs, status=Article.Status.DRAFT),
        others_live=article(theirs),
    )


@pytest.mark.parametrize(
    "role",
    [None, "no role", *Role],
    ids=lambda r: "anonymous" if r is None else str(getattr(r, "label", r)),
)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.__name__)
def test_each_role_may_do_exactly_what_the_matrix_allows(role, action):
    scene = make_scene(role)
    client = Client()
    if scene.user is not None:
        client.force_login(scene.user)
    response, took_effect = action(client, scene)
    allowed = action in ALLOWED[role]
    if allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if response.status_code == 302:
            assert "/login/" not in response["Location"]
        assert took_effect in (True, None)
    else:
        if scene.user is None or action.__name__.startswith("admin_"):
            # The Django admin sends a logged-in non-staff user to its login too.
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert "/login/" in response["Location"]
        else:
            assert response.status_code == 403
        assert took_effect in (False, None)
