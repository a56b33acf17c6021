"""Password reset by email (issue 16 part B): the link is on the configured site
address whatever Host the request named, works once, and the page never says
whether an account has the address."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from broadsheet.editorial.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh and unlikely passphrase"


@pytest.fixture
def writer() -> User:
    return User.objects.create_user(
        "compositor", email="compositor@example.org", password="an old passphrase"
    )


def ask_for_reset(email: str, host: str = "127.0.0.1"):
    return Client(HTTP_HOST=host).post("/newsroom/password/reset/", {"email": email})


def test_the_link_is_on_the_site_address_not_the_requests_host(writer, settings):
    settings.BROADSHEET_SITE_URL = "https://magazine.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "evil.example.net"]

    response = ask_for_reset("compositor@example.org", host="evil.example.net")

    assert response.status_code == 302
    assert response["Location"] == "/newsroom/password/reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["compositor@example.org"]
    link = re.search(r"https://\S+", message.body).group(0)
    assert link.startswith("https://magazine.example.org/newsroom/password/reset/")
    assert "evil.example.net" not in message.body


def test_the_link_sets_a_new_password_once(writer, settings):
    settings.BROADSHEET_SITE_URL = "http://127.0.0.1:8000"
    ask_for_reset("compositor@example.org")
    path = re.search(r"http://127.0.0.1:8000(\S+)", mail.outbox[0].body).group(1)
    client = Client()

    form_page = client.get(path, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = Client().get(path, follow=True)

    assert done.status_code == 302
    assert done["Location"] == "/newsroom/password/reset/done/"
    writer.refresh_from_db()
    assert writer.check_password(NEW_PASSWORD)
    assert "has been used or has expired" in again.content.decode()
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {
        AuditEvent.Kind.PASSWORD_RESET_ASKED,
        AuditEvent.Kind.PASSWORD_RESET,
    } <= kinds


def test_an_unknown_address_gets_the_same_answer_and_no_mail(writer):
    response = ask_for_reset("nobody@example.org")

    assert response["Location"] == "/newsroom/password/reset/sent/"
    assert mail.outbox == []


def test_the_login_page_links_to_the_reset(client):
    page = client.get("/newsroom/login/").content.decode()

    assert 'href="/newsroom/password/reset/"' in page
