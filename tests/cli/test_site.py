"""The `broadsheet` site commands through Click's CliRunner."""

import datetime

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.utils import timezone

from broadsheet.cli import cli
from broadsheet.content.models import Article
from broadsheet.demo.corpus import build_demo_site
from broadsheet.editorial.roles import Role, role_of
from broadsheet.publishing.site_address import absolute_url
from tests.factories import log_in_to_back_office, make_article

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_createadmin_generates_a_password_that_logs_in(client, settings):
    result = invoke("createadmin")
    assert result.exit_code == 0
    password = (settings.VAR_DIR / "admin_password.txt").read_text().strip()
    assert f"password: {password}" in result.output and len(password) >= 12
    response = log_in_to_back_office(client, "admin", password)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_createadmin_keeps_the_password_unless_reset(settings):
    invoke("createadmin")
    first = (settings.VAR_DIR / "admin_password.txt").read_text()
    invoke("createadmin")
    assert (settings.VAR_DIR / "admin_password.txt").read_text() == first
    invoke("createadmin", "--reset")
    assert (settings.VAR_DIR / "admin_password.txt").read_text() != first
    assert get_user_model().objects.get(username="admin").is_superuser


def test_check_passes_on_clean_content_and_fails_naming_the_problem():
    make_article(slug="clean")
    assert invoke("check").exit_code == 0
    broken = make_article(slug="broken", status=Article.Status.DRAFT)
    Article.objects.filter(pk=broken.pk).update(body="Text.[^gone]\n")
    result = invoke("check")
    assert result.exit_code == 1
    assert "article broken (draft): line 1: note reference [^gone]" in result.output


def test_check_reports_stale_renderings():
    article = make_article(slug="stale")
    Article.objects.filter(pk=article.pk).update(pipeline_version=0)
    result = invoke("check")
    assert result.exit_code == 1 and "broadsheet rerender" in result.output


def test_rerender_refreshes_stored_html_and_prints_a_summary():
    article = make_article()
    Article.objects.filter(pk=article.pk).update(body_html="stale", pipeline_version=0)
    result = invoke("rerender")
    assert result.exit_code == 0
    assert "Re-rendered:" in result.output and "0 with problems" in result.output
    article.refresh_from_db()
    assert "note-ref" in article.body_html and article.pipeline_version > 0


def test_demo_loads_the_demo_site_once(settings):
    expected = len(build_demo_site().articles)
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    assert f"Demo site loaded: {expected} articles" in result.output
    assert Article.objects.live().count() == expected >= 40
    again = invoke("demo")
    assert "Content exists already" in again.output
    assert Article.objects.count() == expected


def test_every_command_has_help():
    for command in ["serve", "demo", "createadmin", "rerender", "check"]:
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_manage_passes_through_to_django():
    result = CliRunner().invoke(cli, ["manage", "check"])
    assert result.exit_code == 0


def test_flush_views_help_names_the_spool_files_and_redis():
    text = " ".join(invoke("flush-views", "--help").output.split())
    assert "spool files under var/views/" in text and "REDIS_URL" in text


def test_reindex_rebuilds_the_search_index_with_progress_and_a_summary():
    from broadsheet.discovery.models import SearchDocument
    from broadsheet.discovery.search import search

    make_article(slug="indexed", body="Copperplate engraving.")
    make_article(slug="unpublished", body="Copperplate.", status=Article.Status.DRAFT)
    SearchDocument.objects.all().delete()
    assert search("copperplate").hits == []
    result = invoke("reindex")
    assert result.exit_code == 0
    assert "Search index rebuilt: 1 articles indexed" in result.stdout
    assert "Indexing" in result.stderr
    assert [hit.slug for hit in search("copperplate").hits] == ["indexed"]


def test_adduser_makes_an_account_with_a_role_that_logs_in_to_the_newsroom(client):
    result = invoke("adduser", "quill", "--role", "author", "--author", "ada-quill")
    assert result.exit_code == 0, result.output
    password = result.output.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="quill")
    assert role_of(user) == Role.AUTHOR and not user.is_staff
    assert user.author.slug == "ada-quill"
    response = client.post(
        "/newsroom/login/", {"username": "quill", "password": password}
    )
    assert response.status_code == 302
    assert client.get("/newsroom/").status_code == 200


def test_adduser_changes_the_role_of_an_existing_account_without_a_new_password():
    invoke("adduser", "quill", "--role", "contributor")
    again = invoke("adduser", "quill", "--role", "editor")
    assert "password" not in again.output
    user = get_user_model().objects.get(username="quill")
    assert role_of(user) == Role.EDITOR and user.is_staff


def test_publish_due_publishes_what_came_due_says_which_and_then_finds_nothing():
    later = timezone.now() + datetime.timedelta(hours=1)
    due = make_article(title="Galley Proofs", status="scheduled", published_at=later)
    waiting = make_article(title="Not Yet", status="scheduled", published_at=later)
    Article.objects.filter(pk=due.pk).update(published_at=timezone.now())

    result = invoke("publish-due")

    assert result.exit_code == 0
    assert "\u201cGalley Proofs\u201d" in result.output
    assert "Not Yet" not in result.output
    assert absolute_url(due.get_absolute_url()) in result.output
    assert "Published 1 scheduled article(s)." in result.output
    assert Article.objects.get(pk=due.pk).status == Article.Status.PUBLISHED
    assert Article.objects.get(pk=waiting.pk).status == Article.Status.SCHEDULED
    assert "Published 0 scheduled article(s)." in invoke("publish-due").output
