"""The Django admin: site settings, people and roles, sources; articles only listed."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from broadsheet.content.models import Article, Author, SiteSettings
from broadsheet.editorial.roles import Role, role_of
from broadsheet.publishing.services import save_article
from tests.factories import make_article, make_user

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BROKEN = "Fine opening.\n\nA dangling reference.[^missing]\n"
NO_LINKS = {"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"}  # no author links


def test_adding_or_changing_an_article_in_the_admin_opens_the_newsroom(admin_client):
    article = make_article()
    add = admin_client.get("/admin/content/article/add/")
    change = admin_client.get(f"/admin/content/article/{article.pk}/change/")
    assert add["Location"] == "/newsroom/articles/new/"
    assert change["Location"] == f"/newsroom/articles/{article.pk}/"


def test_admin_publish_action_refuses_broken_drafts_with_a_message(admin_client):
    good = make_article(status="draft")
    broken = make_article(status="draft", body=BROKEN)
    response = admin_client.post(
        "/admin/content/article/",
        {"action": "publish_selected", "_selected_action": [good.pk, broken.pk]},
        follow=True,
    )
    good.refresh_from_db()
    broken.refresh_from_db()
    assert good.is_live and not broken.is_live
    assert "Cannot publish" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/content/author/add/",
        "/admin/content/category/add/",
        "/admin/content/tag/add/",
        "/admin/content/page/add/",
        "/admin/content/sitesettings/add/",
        "/admin/auth/user/add/",
    ],
)
def test_every_model_is_editable_in_the_admin(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_the_admin_is_headed_with_the_sites_name(admin_client):
    settings = SiteSettings.load()
    settings.site_name = "The Compositor"
    settings.save()
    page = admin_client.get("/admin/").content.decode()
    assert "The Compositor administration" in page
    assert "Django administration" not in page


def test_giving_a_user_a_role_in_the_user_admin_sets_groups_and_staff(admin_client):
    user = User.objects.create_user("quill", password="a-long-test-pass-1")
    form = BeautifulSoup(
        admin_client.get(f"/admin/auth/user/{user.pk}/change/").content, "html.parser"
    )
    assert form.select_one("select[name=role]") is not None
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
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert role_of(user) == Role.EDITOR and user.is_staff


def test_internal_models_are_not_offered_as_permissions(admin_client):
    user = make_user(Role.AUTHOR)
    form = BeautifulSoup(
        admin_client.get(f"/admin/auth/user/{user.pk}/change/").content, "html.parser"
    )
    offered = [
        o.get_text() for o in form.select("select[name=user_permissions] option")
    ]
    assert any("| tag |" in text for text in offered)
    internal_models = ("surface", "fragments", "session", "log entry", "| group |")
    for internal in internal_models:
        assert not any(internal in text.lower() for text in offered), internal


def test_an_editor_reaches_the_admin_for_sources_but_not_users_or_settings(client):
    editor = make_user(Role.EDITOR)
    client.force_login(editor)
    assert client.get("/admin/sources/work/").status_code == 200
    assert client.get("/admin/content/tag/add/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/content/sitesettings/").status_code == 403


def test_page_with_broken_note_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/content/page/add/",
        {"title": "About", "slug": "about", "body": BROKEN, "is_published": "on"},
    )
    assert response.status_code == 200
    assert "line 3" in response.content.decode()


def test_an_author_bio_is_checked_as_it_is_rendered_without_citations(admin_client):
    # A biography is rendered with no bibliography, so "(he/him)@ada" is words:
    # checking it as an article refused it for a citation key not in the sources.
    response = admin_client.post(
        "/admin/content/author/add/",
        {"name": "Ada Quill", "slug": "ada-quill", **NO_LINKS}
        | {"bio": "Prints at the Bell (he/him)@ada and [@nobody]."},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "@ada" in Author.objects.get(slug="ada-quill").bio_html


def test_a_broken_note_in_an_author_bio_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/content/author/add/",
        {"name": "Ada Quill", "slug": "ada-quill", "bio": BROKEN, **NO_LINKS},
    )

    assert response.status_code == 200
    assert "line 3" in response.content.decode()


def test_article_list_counts_problems_and_filters_by_them(admin_client):
    draft = Article(title="Unfinished", slug="unfinished", body=BROKEN)
    save_article(draft)
    clean = make_article(title="Finished")
    listing = BeautifulSoup(
        admin_client.get("/admin/content/article/").content, "html.parser"
    )
    counts = {
        row.select_one(".field-title, th a").get_text(): row.select_one(
            ".field-problem_count"
        ).get_text()
        for row in listing.select("#result_list tbody tr")
    }
    assert counts == {"Unfinished": "1", "Finished": "-"}
    only = admin_client.get("/admin/content/article/?problems=yes").content.decode()
    assert "Unfinished" in only and clean.title not in only
