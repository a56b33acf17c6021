"""The editor's endpoints: live preview through the real pipeline, works search."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from broadsheet.editorial import api
from broadsheet.editorial.roles import Role, assign
from broadsheet.sources.models import Work
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PREVIEW = "/newsroom/api/preview/"
WORKS = "/newsroom/api/works/"

NOTED = """Type was cast in a hand mould.[^mould] The matrix came first.[^matrix]
Moxon described it [@moxon1683, p. 12].

[^mould]: A two-part mould of steel and wood.
[^matrix]: Struck from a steel punch.
"""


def _user(name: str, role: Role | None):
    user = get_user_model().objects.create_user(name, password="not used here")
    assign(user, role)
    return user


@pytest.fixture
def author_client() -> Client:
    client = Client()
    client.force_login(_user("writer", Role.AUTHOR))
    return client


@pytest.fixture
def moxon() -> Work:
    return Work.objects.create(
        key="moxon1683",
        csl={
            "type": "book",
            "title": "Mechanick Exercises on the Whole Art of Printing",
            "author": [{"family": "Moxon", "given": "Joseph"}],
            "issued": {"date-parts": [[1683]]},
            "publisher": "Joseph Moxon",
        },
    )


@pytest.fixture
def bibliography(moxon) -> list[Work]:
    return [
        moxon,
        Work.objects.create(
            key="muller1950",
            csl={
                "type": "book",
                "title": "Die Schriftgießerei",
                "author": [{"family": "Müller", "given": "Anna"}],
                "issued": {"date-parts": [[1950]]},
            },
        ),
        Work.objects.create(
            key="baker2001",
            csl={
                "type": "article-journal",
                "title": "Ovens of the Early Bakeries and Their Long, Slow Fires "
                "in Northern Towns",
                "author": [
                    {"family": "Baker", "given": "Ruth"},
                    {"family": "Cole", "given": "Ian"},
                    {"family": "Dunn", "given": "Sam"},
                ],
                "issued": {"date-parts": [[2001, 3]]},
            },
        ),
    ]


def _preview(client: Client, body: str, **extra) -> dict:
    response = client.post(PREVIEW, {"body": body, **extra})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_preview_renders_notes_numbered_and_the_citation_in_the_site_style(
    author_client, moxon
):
    data = _preview(author_client, NOTED)

    body = BeautifulSoup(data["html"], "html.parser")
    refs = body.select("sup.note-ref a[role=doc-noteref]")
    # Chicago notes (the demo's style): the citation is note 3, after the two notes.
    assert [ref.get_text() for ref in refs] == ["1", "2", "3"]
    assert [ref["href"] for ref in refs] == ["#note-1", "#note-2", "#note-3"]
    notes = BeautifulSoup(data["notes_html"], "html.parser")
    items = notes.select("section.notes ol.notes-list > li.note")
    assert [item["id"] for item in items] == ["note-1", "note-2", "note-3"]
    assert "two-part mould" in items[0].get_text()
    assert items[2].select_one(".citation").get_text() == (
        "Joseph Moxon, Mechanick Exercises on the Whole Art of Printing "
        "(Joseph Moxon, 1683), 12."
    )
    works = BeautifulSoup(data["bibliography_html"], "html.parser")
    assert works.select_one("#work-moxon1683").get_text().startswith("Moxon, Joseph.")
    assert data["problems"] == []
    assert data["notes"] == 3
    assert data["words"] == 14  # the text itself, not its notes
    assert data["reading_minutes"] == 1


def test_preview_lists_problems_with_their_lines(author_client, moxon):
    body = (
        "First paragraph.\n"
        "\n"
        "A note never written.[^9]\n"
        "An unknown work [@nowhere1900].\n"
        "A page range backwards [@moxon1683, p. 31-30].\n"
    )
    data = _preview(author_client, body)

    assert [(p["line"], p["code"], p["severity"]) for p in data["problems"]] == [
        (3, "undefined-note", "error"),
        (4, "unknown-citation", "error"),
        (5, "malformed-locator", "error"),
    ]
    assert "[^9]" in data["problems"][0]["message"]
    assert "@nowhere1900" in data["problems"][1]["message"]


def test_preview_html_passes_the_sanitiser(author_client):
    data = _preview(
        author_client, 'Hi <script>alert(1)</script><a href="javascript:x">a</a>'
    )

    assert "<script" not in data["html"] and "javascript:" not in data["html"]


def test_preview_reads_windows_line_endings_as_lines(author_client):
    data = _preview(author_client, "One.\r\n\r\nTwo[^x].\r\n")

    assert [(p["line"], p["code"]) for p in data["problems"]] == [(3, "undefined-note")]


def test_preview_refuses_anonymous_users_with_the_login_page(client):
    response = client.post(PREVIEW, {"body": "Hello."})

    assert response.status_code == 302
    assert response["Location"].startswith("/newsroom/login/")


def test_preview_refuses_users_without_a_newsroom_role(client):
    client.force_login(_user("reader", None))

    assert client.post(PREVIEW, {"body": "Hello."}).status_code == 403
    assert client.get(WORKS, {"q": "a"}).status_code == 403


def test_preview_refuses_get(author_client):
    assert author_client.get(PREVIEW, {"body": "Hello."}).status_code == 405


def test_preview_requires_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user("writer", Role.AUTHOR))

    assert client.post(PREVIEW, {"body": "Hello."}).status_code == 403


def test_preview_refuses_a_text_over_the_limit_with_a_clear_error(author_client):
    body = "word " * (api.PREVIEW_MAX_BYTES // 5 + 1)

    response = author_client.post(PREVIEW, {"body": body})

    assert response.status_code == 413
    assert "too long to preview" in response.json()["error"]


def test_preview_of_an_article_refuses_a_writer_who_may_not_edit_it(author_client):
    article = make_article()  # started by nobody, bylined to someone else

    response = author_client.post(PREVIEW, {"body": "Hi.", "article": article.pk})

    assert response.status_code == 403
    assert "not allow" in response.json()["error"]


def test_preview_of_an_article_renders_for_its_editor(client):
    client.force_login(_user("chief", Role.EDITOR))
    article = make_article()

    data = _preview(client, "Edited *text*.", article=str(article.pk))

    assert data["html"] == "<p>Edited <em>text</em>.</p>\n"


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("moxon", ["moxon1683"]),
        ("MECHANICK printing", ["moxon1683"]),
        ("1950", ["muller1950"]),
        ("müller", ["muller1950"]),
        ("baker20", ["baker2001"]),
        ("dunn", ["baker2001"]),
        ("ovens 2001", ["baker2001"]),
        ("moxon 1950", []),
    ],
    ids=["author", "title-words", "year", "accented", "key", "third-author",
         "title-and-year", "no-match"],
)  # fmt: skip
def test_works_search_matches_author_title_year_or_key(
    author_client, bibliography, query, keys
):
    response = author_client.get(WORKS, {"q": query})

    assert response.status_code == 200
    assert [work["key"] for work in response.json()] == keys


def test_works_search_labels_author_year_and_short_title(author_client, bibliography):
    found = author_client.get(WORKS, {"q": ""}).json()

    assert found == [
        {
            "key": "baker2001",
            "label": "Baker et al., 2001, Ovens of the Early Bakeries and Their Long, "
            "Slow Fires in N\u2026",
            "insert": "[@baker2001]",
        },
        {
            "key": "moxon1683",
            "label": "Moxon, 1683, Mechanick Exercises on the Whole Art of Printing",
            "insert": "[@moxon1683]",
        },
        {
            "key": "muller1950",
            "label": "Müller, 1950, Die Schriftgießerei",
            "insert": "[@muller1950]",
        },
    ]


def test_works_search_returns_at_most_twenty(author_client):
    for n in range(25):
        Work.objects.create(key=f"cook{n:02}", csl={"type": "book", "title": "Bread"})

    found = author_client.get(WORKS, {"q": "bread"}).json()

    assert [work["key"] for work in found] == [f"cook{n:02}" for n in range(20)]


def test_works_search_refuses_anonymous_users(client):
    assert client.get(WORKS, {"q": "moxon"}).status_code == 302
