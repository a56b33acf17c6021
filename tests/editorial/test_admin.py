"""The back office: writing, previewing and publishing an article through the admin."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.content.models import Article
from broadsheet.publishing.services import save_article
from tests.factories import make_article, make_author

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BROKEN = "Fine opening.\n\nA dangling reference.[^missing]\n"


def article_form(author, **overrides) -> dict:
    data = {
        "title": "Paper Moulds",
        "subtitle": "",
        "slug": "paper-moulds",
        "body": "Laid lines.[^1]\n\n[^1]: From the wires.\n",
        "excerpt": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "article_authors-TOTAL_FORMS": "1",
        "article_authors-INITIAL_FORMS": "0",
        "article_authors-0-author": str(author.pk),
        "article_authors-0-position": "0",
        "republication-TOTAL_FORMS": "0",
        "republication-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_admin_publishes_a_noted_article_that_appears_on_the_home_page(
    admin_client, client
):
    author = make_author(name="Ada Quill")
    response = admin_client.post("/admin/content/article/add/", article_form(author))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="paper-moulds")
    assert article.is_live and article.ordered_authors == [author]
    home = client.get("/").content.decode()
    assert "Paper Moulds" in home and "Ada Quill" in home
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one("#note-1").get_text().startswith("From the wires.")


def test_admin_save_with_broken_note_shows_the_error_and_saves_nothing(admin_client):
    author = make_author()
    response = admin_client.post(
        "/admin/content/article/add/", article_form(author, body=BROKEN)
    )
    assert response.status_code == 200
    errors = BeautifulSoup(response.content, "html.parser").select(".errorlist li")
    assert any("line 3" in e.get_text() and "missing" in e.get_text() for e in errors)
    assert not Article.objects.exists()


def test_admin_saves_a_draft_with_problems_and_warns(admin_client):
    author = make_author()
    response = admin_client.post(
        "/admin/content/article/add/",
        article_form(author, body=BROKEN, status="draft"),
        follow=True,
    )
    assert Article.objects.get().status == "draft"
    assert "Draft saved with a problem: line 3" in response.content.decode()


def test_admin_change_form_shows_rendered_preview_and_preview_link(admin_client):
    article = make_article(title="Preview Me")
    response = admin_client.get(f"/admin/content/article/{article.pk}/change/")
    soup = BeautifulSoup(response.content, "html.parser")
    preview = soup.select_one(".broadsheet-preview")
    assert preview.select(".note-ref") and preview.select(".notes-list li")
    assert soup.select_one(f"a[href='/preview/{article.pk}/']")


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
        "/admin/content/article/add/",
    ],
)
def test_every_model_is_editable_in_the_admin(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_page_with_broken_note_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/content/page/add/",
        {"title": "About", "slug": "about", "body": BROKEN, "is_published": "on"},
    )
    assert response.status_code == 200
    assert "line 3" in response.content.decode()


def test_admin_refuses_to_publish_without_an_author_and_saves_nothing(admin_client):
    form = article_form(make_author(), **{"article_authors-0-author": ""})
    response = admin_client.post("/admin/content/article/add/", form)
    assert response.status_code == 200
    errors = BeautifulSoup(response.content, "html.parser").select(".errorlist li")
    assert any("at least one author" in e.get_text() for e in errors)
    assert not Article.objects.exists()


def test_admin_saves_a_draft_without_an_author(admin_client):
    form = article_form(make_author(), status="draft")
    form["article_authors-0-author"] = ""
    response = admin_client.post("/admin/content/article/add/", form)
    assert response.status_code == 302
    assert Article.objects.get().ordered_authors == []


def test_admin_keeps_the_byline_order_it_was_given(admin_client):
    first, second = make_author(name="First"), make_author(name="Second")
    form = article_form(first)
    form.update(
        {
            "article_authors-TOTAL_FORMS": "2",
            "article_authors-0-position": "1",
            "article_authors-1-author": str(second.pk),
            "article_authors-1-position": "0",
        }
    )
    assert admin_client.post("/admin/content/article/add/", form).status_code == 302
    assert Article.objects.get().ordered_authors == [second, first]


def test_reopened_draft_shows_its_stored_problems(admin_client):
    draft = Article(title="Unfinished", slug="unfinished", body=BROKEN)
    save_article(draft)
    response = admin_client.get(f"/admin/content/article/{draft.pk}/change/")
    problems = BeautifulSoup(response.content, "html.parser").select(
        ".broadsheet-problems li"
    )
    assert [p.get_text() for p in problems] == draft.render_problems
    assert "line 3" in problems[0].get_text()


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


def test_view_on_site_opens_the_preview_of_a_draft_and_the_page_of_a_live_one(
    admin_client,
):
    draft = make_article(status="draft")
    live = make_article()
    for article, expected in [
        (draft, f"/preview/{draft.pk}/"),
        (live, live.get_absolute_url()),
    ]:
        page = BeautifulSoup(
            admin_client.get(f"/admin/content/article/{article.pk}/change/").content,
            "html.parser",
        )
        assert page.select_one("a.viewsitelink")["href"] == expected
        assert admin_client.get(expected).status_code == 200


def test_admin_publishes_an_article_with_removed_html_and_shows_the_warning(
    admin_client,
):
    author = make_author()
    body = 'Laid lines.\n\n<iframe src="https://example.com/map"></iframe>\n'
    response = admin_client.post(
        "/admin/content/article/add/", article_form(author, body=body), follow=True
    )

    assert Article.objects.get().is_live
    page = BeautifulSoup(response.content, "html.parser")
    warnings = [li.get_text() for li in page.select(".messagelist li.warning")]
    assert warnings == [
        "Saved with a warning: line 3: warning: <iframe> is not allowed on pages "
        "and is removed with everything inside it"
    ]
