"""The audit log (issue 16 part B): logins, failed logins, lockouts, role changes,
publishes and withdrawals are written down with who and from where, and only
administrators read them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from broadsheet.content.models import Article
from broadsheet.editorial.models import AuditEvent
from broadsheet.editorial.roles import Role
from tests.factories import log_in_to_back_office, make_article, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unlikely passphrase"
Kind = AuditEvent.Kind


def events() -> list[tuple[str, str, str]]:
    return [
        (e.kind, e.actor_name, e.target)
        for e in AuditEvent.objects.order_by("at", "id")
    ]


def test_failed_and_successful_logins_are_recorded_with_the_address(client):
    User.objects.create_user("compositor", password=PASSWORD, is_staff=True)

    log_in_to_back_office(client, "compositor", "a guess")
    log_in_to_back_office(client, "compositor", PASSWORD)
    client.get("/admin/logout/")  # GET does not log out: it is a form
    client.post("/admin/logout/")

    assert events() == [
        (Kind.LOGIN_FAILED, "compositor", "compositor"),
        (Kind.LOGIN, "compositor", ""),
        (Kind.LOGOUT, "compositor", ""),
    ]
    assert {e.ip_address for e in AuditEvent.objects.all()} == {"127.0.0.1"}
    assert PASSWORD not in str(list(AuditEvent.objects.values()))


def test_a_lockout_is_recorded(client, settings):
    User.objects.create_user("compositor", password=PASSWORD, is_staff=True)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_to_back_office(client, "compositor", "a guess")

    locked = AuditEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert locked.target == "compositor"
    assert "too many failed logins from 127.0.0.1" in locked.detail


def test_a_role_change_in_the_user_admin_names_who_made_it(admin_client, admin_user):
    user = make_user(Role.AUTHOR, username="quill")
    data = {
        "username": "quill",
        "role": str(Role.EDITOR.value),
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }

    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", data)

    assert response.status_code == 302
    change = AuditEvent.objects.filter(kind=Kind.ROLE_CHANGED).latest("id")
    assert (change.actor, change.target, change.detail) == (
        admin_user,
        "quill",
        "Author -> Editor",
    )


def test_publishing_and_withdrawing_in_the_newsroom_are_recorded():
    editor = make_user(Role.EDITOR, username="chief")
    article = make_article(title="On casting type", status=Article.Status.DRAFT)
    client = Client()
    client.force_login(editor)
    data = {
        "title": article.title,
        "subtitle": "",
        "excerpt": "",
        "body": article.body,
        "authors": [a.pk for a in article.ordered_authors],
    }

    for step in ("publish", "withdraw"):
        article.refresh_from_db()
        client.post(
            f"/newsroom/articles/{article.pk}/",
            data | {"version": article.version, "step": step},
        )

    acts = AuditEvent.objects.filter(kind__in=[Kind.PUBLISHED, Kind.WITHDRAWN])
    assert [(e.kind, e.actor_name) for e in acts.order_by("id")] == [
        (Kind.PUBLISHED, "chief"),
        (Kind.WITHDRAWN, "chief"),
    ]
    assert f"/articles/{article.slug}/" in acts.first().target


def test_only_administrators_read_the_log_and_nobody_edits_it(admin_client):
    log_in_to_back_office(Client(), "nobody", "a guess")
    editor = Client()
    editor.force_login(make_user(Role.EDITOR))

    listing = admin_client.get("/admin/editorial/auditevent/")

    assert listing.status_code == 200 and "nobody" in listing.content.decode()
    assert editor.get("/admin/editorial/auditevent/").status_code == 403
    assert admin_client.get("/admin/editorial/auditevent/add/").status_code == 403
    event = AuditEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (
        admin_client.post(f"/admin/editorial/auditevent/{event.pk}/delete/").status_code
        == 403
    )
