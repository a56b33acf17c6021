"""The scratch pad: the editor partial on a page of its own, kept in the session."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client

from broadsheet.content.models import Article
from broadsheet.editorial import sandbox
from broadsheet.editorial.roles import Role, assign

pytestmark = pytest.mark.django_db

SANDBOX = "/newsroom/api/sandbox/"
AUTOSAVE = "/newsroom/api/sandbox/autosave/"


def _user(name: str, role: Role | None):
    user = get_user_model().objects.create_user(name, password="not used here")
    assign(user, role)
    return user


@pytest.fixture
def author_client() -> Client:
    client = Client()
    client.force_login(_user("writer", Role.CONTRIBUTOR))
    return client


def _page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _text_box(response) -> str:
    return _page(response).select_one("textarea#id_body").get_text()


def _version(response) -> str:
    return _page(response).select_one("input[name=version]")["value"]


def test_sandbox_page_wraps_the_text_box_in_the_editor(author_client):
    page = _page(author_client.get(SANDBOX))

    editor = page.select_one("form div.editor")
    assert editor["data-preview-url"] == "/newsroom/api/preview/"
    assert editor["data-works-url"] == "/newsroom/api/works/"
    assert editor["data-autosave-url"] == AUTOSAVE
    assert editor["data-media-url"] == ""
    textarea = editor.select_one("textarea#id_body[name=body]")
    assert page.select_one(f"label[for={textarea['id']}]").get_text() == "Text"
    assert editor.select_one(".editor-toolbar").has_attr("hidden")
    assert editor.select_one("aside.editor-side").has_attr("hidden")
    assert editor.select_one("#editor-preview.article-body")["aria-live"] == "polite"
    assert editor.select_one("ol#editor-problems") and editor.select_one(
        "#editor-stats"
    )
    buttons = [
        b.get_text(" ", strip=True) for b in editor.select(".editor-toolbar button")
    ]
    assert "Note" in buttons and "Cite" in buttons and "Image" not in buttons
    assert page.select_one("input[name=version][type=hidden]")["value"] == "0"


def test_sandbox_page_loads_the_built_editor_script(author_client):
    if not finders.find("editorial/editor.js"):
        pytest.skip("editor.js not built (make builds it when npm is installed)")
    page = _page(author_client.get(SANDBOX))

    assert page.select_one("script[src$='editorial/editor.js']")


def test_sandbox_page_without_the_built_script_is_a_plain_text_box(
    author_client, monkeypatch
):
    real_find = finders.find

    def find_without_bundle(path, *args, **kwargs):
        if path == "editorial/editor.js":
            return None
        return real_find(path, *args, **kwargs)

    monkeypatch.setattr(finders, "find", find_without_bundle)
    page = _page(author_client.get(SANDBOX))

    assert page.select_one("textarea#id_body")
    assert not page.select_one("script[src*='editor.js']")


def test_sandbox_refuses_anonymous_and_roleless_users(client):
    assert client.get(SANDBOX).status_code == 302
    assert client.post(AUTOSAVE, {"body": "x", "version": 0}).status_code == 302
    client.force_login(_user("reader", None))
    assert client.get(SANDBOX).status_code == 403
    assert client.post(AUTOSAVE, {"body": "x", "version": 0}).status_code == 403


def test_keeping_the_scratch_pad_stores_it_in_the_session_and_publishes_nothing(
    author_client,
):
    kept = author_client.post(SANDBOX, {"title": "T", "body": "Kept.", "version": 0})

    assert _text_box(kept).strip() == "Kept." and _version(kept) == "1"
    again = author_client.get(SANDBOX)
    assert _text_box(again).strip() == "Kept." and _version(again) == "1"
    assert not Article.objects.exists()


def test_keeping_a_stale_version_refuses_and_shows_the_text_as_typed(author_client):
    author_client.post(SANDBOX, {"body": "First tab.", "version": 0})

    stale = author_client.post(SANDBOX, {"body": "Second tab.", "version": 0})

    assert "saved in another tab" in _page(stale).select_one(".form-error").get_text()
    assert _text_box(stale).strip() == "Second tab."
    assert _text_box(author_client.get(SANDBOX)).strip() == "First tab."


def test_autosave_answers_the_new_version_and_keeps_the_text(author_client):
    first = author_client.post(AUTOSAVE, {"body": "Draft one.", "version": 0})
    second = author_client.post(AUTOSAVE, {"body": "Draft two.", "version": 1})

    assert first.status_code == second.status_code == 200
    assert first.json()["version"] == 1 and second.json()["version"] == 2
    assert "T" in second.json()["saved_at"]  # ISO 8601
    assert _text_box(author_client.get(SANDBOX)).strip() == "Draft two."


def test_autosave_of_a_stale_version_is_a_conflict_and_keeps_nothing(author_client):
    author_client.post(AUTOSAVE, {"body": "Other tab.", "version": 0})

    response = author_client.post(AUTOSAVE, {"body": "This tab.", "version": 0})

    assert response.status_code == 409
    assert "saved in another tab" in response.json()["conflict"]
    assert _text_box(author_client.get(SANDBOX)).strip() == "Other tab."


def test_autosave_refuses_a_form_without_a_version(author_client):
    response = author_client.post(AUTOSAVE, {"body": "No version."})

    assert response.status_code == 400
    assert response.json()["error"]["version"][0]["code"] == "required"


def test_autosave_refuses_a_text_over_the_limit(author_client):
    body = "x" * (sandbox.MAX_BYTES + 1)

    response = author_client.post(AUTOSAVE, {"body": body, "version": 0})

    assert response.status_code == 413
    assert "500,000 bytes" in response.json()["error"]


def test_autosave_refuses_get(author_client):
    assert author_client.get(AUTOSAVE).status_code == 405


def test_the_editor_partial_passes_on_the_edit_page_s_options():
    """As the article edit page includes it: its article, autosave and media."""
    html = render_to_string(
        "editorial/_editor.html",
        {
            "field": sandbox.SandboxForm()["body"],
            "article_pk": 42,
            "autosave_url": "/newsroom/articles/42/autosave/",
            "media_url": "/newsroom/api/media/",
        },
    )
    editor = BeautifulSoup(html, "html.parser").select_one("div.editor")

    assert editor["data-article"] == "42"
    assert editor["data-autosave-url"] == "/newsroom/articles/42/autosave/"
    assert editor["data-media-url"] == "/newsroom/api/media/"
    assert editor.select_one(".editor-toolbar button[data-action=image]")
