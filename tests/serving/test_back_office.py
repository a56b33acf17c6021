"""Sessions, CSRF, login and messages run for the back office, and only there."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import checks
from django.test import Client

from broadsheet.content.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_public_pages_skip_sessions_even_for_a_visitor_with_a_session_cookie():
    make_article(title="Quiet Page", slug="quiet-page")
    client = Client()
    client.cookies["sessionid"] = "made-up"
    response = client.get("/articles/quiet-page/")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert response["X-Frame-Options"] == "DENY"  # the public middleware still runs


def test_admin_login_still_demands_a_csrf_token():
    get_user_model().objects.create_user(
        "editor", password="a long passphrase", is_staff=True
    )
    client = Client(enforce_csrf_checks=True)
    form = {"username": "editor", "password": "a long passphrase"}
    refused = client.post("/admin/login/", form)
    assert refused.status_code == 403
    page = client.get("/admin/login/")
    form["csrfmiddlewaretoken"] = page.context["csrf_token"]
    assert client.post("/admin/login/", form).status_code == 302
    assert client.get("/admin/").status_code == 200  # the session keeps the login


def test_preview_needs_a_logged_in_writer(client):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 302 and "/newsroom/login/" in response["Location"]


def test_the_admins_own_checks_see_the_back_office_middleware(settings):
    assert not {e.id for e in checks.run_checks()} & {"admin.E408", "web.E001"}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "messages" not in m]
    assert "admin.E409" in {error.id for error in checks.run_checks()}


def test_system_check_fails_when_the_back_office_bracket_is_broken(settings):
    whole = settings.MIDDLEWARE
    settings.MIDDLEWARE = [m for m in whole if not m.endswith("BackOfficeEnd")]
    assert "web.E001" in {error.id for error in checks.run_checks()}
    settings.MIDDLEWARE = [m for m in whole if not m.endswith("BackOffice")]
    assert "web.E001" in {error.id for error in checks.run_checks()}


def test_a_public_request_never_reaches_the_back_office_middleware(client, monkeypatch):
    seen = []
    real = SessionMiddleware.process_request
    monkeypatch.setattr(
        SessionMiddleware,
        "process_request",
        lambda self, request: seen.append(request.path) or real(self, request),
    )
    make_article(slug="plain")
    assert client.get("/articles/plain/?via=django").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/admin/login/").status_code == 200
    assert seen == ["/admin/login/"]
