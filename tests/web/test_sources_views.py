"""Sources index, work pages, works cited on articles, and citation exports."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.content.models import SiteSettings
from broadsheet.content.services import store_citations
from broadsheet.publishing.services import PublishRefused, save_article
from broadsheet.sources.formats import ris
from broadsheet.sources.models import Work
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

BODY = """Presses spread along the coast [@marlow1998, p. 43].

Paper was scarce, as @quill2004 [p. 210] show, and again [@marlow1998, p. 44].
"""


@pytest.fixture
def works():
    Work.objects.create(
        key="marlow1998",
        csl={
            "type": "book",
            "author": [{"family": "Marlow", "given": "Agnes"}],
            "title": "The Long Press",
            "publisher": "Harbour Press",
            "issued": {"date-parts": [[1998]]},
        },
    )
    Work.objects.create(
        key="quill2004",
        csl={
            "type": "article-journal",
            "author": [{"family": "Quill", "given": "Tobias"}],
            "title": "Rag paper",
            "container-title": "Journal of Paper History",
            "page": "201-230",
            "issued": {"date-parts": [[2004]]},
            "DOI": "10.5555/jph.1",
        },
    )


@pytest.fixture
def article(works):
    settings = SiteSettings.load()
    settings.citation_style = "apa"
    settings.save()
    article = make_article(
        title="Coastal presses", body=BODY, authors=[make_author(name="Ada Lowe")]
    )
    store_citations(article)
    return article


def test_article_page_shows_works_cited_and_cite_this(client, article):
    response = client.get(article.get_absolute_url())

    soup = BeautifulSoup(response.content, "html.parser")
    entries = soup.select(".works-cited li.csl-entry")
    assert [li["id"] for li in entries] == ["work-marlow1998", "work-quill2004"]
    assert soup.select_one("#cite-1").text == "(Marlow, 1998, p. 43)"
    cite_this = soup.select_one(".cite-this-text").text
    assert "Ada Lowe" in cite_this and "Coastal presses" in cite_this
    links = {a["href"] for a in soup.select(".cite-this a, .works-cited-exports a")}
    assert f"/articles/{article.slug}/cite.bib" in links
    assert f"/articles/{article.slug}/works-cited.ris" in links


def test_sources_index_lists_cited_works_with_articles_and_counts(
    client, article, django_assert_max_num_queries
):
    Work.objects.create(key="uncited", csl={"type": "book", "title": "Shelf"})

    with django_assert_max_num_queries(6):
        response = client.get("/sources/")

    soup = BeautifulSoup(response.content, "html.parser")
    titles = [a.text for a in soup.select(".source-title")]
    counts = [s.text for s in soup.select(".source-count")]
    assert titles == ["The Long Press", "Rag paper"]
    assert counts == ["cited 2 times in 1 article", "cited 1 time in 1 article"]


def source_rows(client, path: str) -> list[tuple[str, str, str, str]]:
    """(title, author, year, key) of each work on a Sources page, in order."""
    response = client.get(path)
    assert response.status_code == 200, path
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (
            li.select_one(".source-title").text,
            li.select_one(".source-author").text,
            li.select_one(".source-year").text,
            li.select_one(".source-key code").text,
        )
        for li in soup.select(".source-index > li")
    ]


def test_sources_are_sorted_by_author_title_year_or_times_cited_by_path(
    client, article
):
    # Quill is cited three more times by a live article, many more by a draft.
    make_article(body="Rags [@quill2004]; again [@quill2004]; once more [@quill2004].")
    make_article(body="[@marlow1998] " * 9, status="draft")
    marlow = ("The Long Press", "Marlow", "1998", "marlow1998")
    quill = ("Rag paper", "Quill", "2004", "quill2004")
    assert source_rows(client, "/sources/") == [marlow, quill]
    assert source_rows(client, "/sources/by/title/") == [quill, marlow]
    assert source_rows(client, "/sources/by/year/") == [marlow, quill]
    assert source_rows(client, "/sources/by/cited/") == [quill, marlow]
    soup = BeautifulSoup(client.get("/sources/by/cited/").content, "html.parser")
    current = soup.select_one(".sort-links a[aria-current=page]")
    assert current.text == "Times cited" and current["href"] == "/sources/by/cited/"
    counts = [s.text for s in soup.select(".source-count")]
    assert counts == ["cited 4 times in 2 articles", "cited 2 times in 1 article"]


def test_a_sort_query_is_sent_to_its_path_and_unknown_orders_are_not_found(
    client, article
):
    response = client.get("/sources/?sort=year")
    assert response.status_code == 302 and response["Location"] == "/sources/by/year/"
    assert client.get("/sources/?sort=nonsense").status_code == 200
    assert client.get("/sources/by/nonsense/").status_code == 404
    assert client.get("/sources/by/author/").status_code == 404  # that is /sources/


def test_work_page_lists_the_passages_citing_it(client, article):
    response = client.get("/sources/marlow1998/")

    soup = BeautifulSoup(response.content, "html.parser")
    links = [a["href"] for a in soup.select(".citing-article a")]
    assert links == [
        f"{article.get_absolute_url()}#cite-1",
        f"{article.get_absolute_url()}#cite-3",
    ]
    assert "Presses spread along the coast." in soup.select("blockquote")[0].text
    assert "Marlow, A. (1998)." in soup.select_one(".csl-entry").text


def test_work_page_of_an_uncited_work_is_not_found(client, works):
    assert client.get("/sources/marlow1998/").status_code == 404


@pytest.mark.parametrize("scope", ["article-works", "bibliography"])
def test_exports_parse_in_every_format(client, article, scope):
    base = (
        f"/articles/{article.slug}/works-cited"
        if scope == "article-works"
        else "/sources/bibliography"
    )

    bib = client.get(f"{base}.bib")
    ris_response = client.get(f"{base}.ris")
    csl = client.get(f"{base}.json")

    library = bibtexparser.parse_string(bib.content.decode())
    assert [e.key for e in library.entries] == ["marlow1998", "quill2004"]
    assert [r["ID"] for r in ris.parse(ris_response.content.decode())] == [
        ["marlow1998"],
        ["quill2004"],
    ]
    assert [item["id"] for item in json.loads(csl.content)] == [
        "marlow1998",
        "quill2004",
    ]
    assert bib["Content-Type"].startswith("application/x-bibtex")


def test_cite_this_article_exports_the_article_itself(client, article):
    csl = json.loads(client.get(f"/articles/{article.slug}/cite.json").content)
    bib = client.get(f"/articles/{article.slug}/cite.bib").content.decode()

    assert csl[0]["title"] == "Coastal presses"
    assert csl[0]["author"] == [{"family": "Lowe", "given": "Ada"}]
    assert csl[0]["URL"].endswith(article.get_absolute_url())
    assert bibtexparser.parse_string(bib).entries[0].key == article.slug


def test_unknown_export_format_is_not_found(client, article):
    assert client.get("/sources/bibliography.docx").status_code == 404


def test_publishing_is_refused_naming_the_unknown_key(works):
    with pytest.raises(PublishRefused, match="@nowhere"):
        make_article(body="See [@nowhere, p. 2].\n")


SCRIPT_URL = "javascript:alert(1)//http://x"


def store_legacy_work(key: str, csl: dict) -> Work:
    """Store a row as the database may hold it from before the checks (no clean())."""
    title = str(csl.get("title", ""))
    return Work.objects.bulk_create(
        [Work(key=key, csl=dict(csl, id=key), title=title)]
    )[0]


def corrupt(key: str, **fields) -> None:
    """Change a stored record as an edit from before the checks could have."""
    work = Work.objects.get(key=key)
    Work.objects.filter(pk=work.pk).update(csl={**work.csl, **fields})


def cite(*keys: str):
    article = make_article(body="".join(f"See [@{key}].\n\n" for key in keys))
    store_citations(article)
    return article


def test_work_page_of_a_stored_javascript_url_links_no_script(client):
    store_legacy_work(
        "inkwell2001",
        {"type": "webpage", "title": "Inkwells", "URL": SCRIPT_URL,
         "DOI": "javascript:alert(2)", "issued": {"date-parts": [[2001]]}},
    )  # fmt: skip
    cite("inkwell2001")

    response = client.get("/sources/inkwell2001/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Inkwells" in soup.select_one(".csl-entry").text
    hrefs = [a.get("href", "") for a in soup.select("a")]
    assert not [href for href in hrefs if "javascript" in href.lower()]


def test_work_page_passes_the_formatted_entry_through_the_sanitiser(
    client, works, monkeypatch
):
    cite("marlow1998")
    formatted = '<a href="javascript:alert(1)">Marlow</a><img src=x onerror=alert(1)>'
    monkeypatch.setattr(
        "broadsheet.rendering.citations.format_entry", lambda style, work: formatted
    )

    response = client.get("/sources/marlow1998/")

    entry = BeautifulSoup(response.content, "html.parser").select_one(".csl-entry")
    assert entry.text == "Marlow"
    assert not entry.select("[onerror]")
    assert [a.get("href") for a in entry.select("a")] == [None]


def test_exports_leave_out_a_stored_javascript_url(client):
    store_legacy_work(
        "inkwell2001", {"type": "webpage", "title": "Ink", "URL": SCRIPT_URL}
    )
    cite("inkwell2001")

    exported = client.get("/sources/bibliography.json")

    assert json.loads(exported.content)[0]["title"] == "Ink"
    assert "javascript" not in exported.content.decode()


def test_sources_index_lists_a_stored_key_with_a_slash_without_a_link(client):
    store_legacy_work("press/1902", {"type": "book", "title": "Presses"})
    store_legacy_work("ink1901", {"type": "book", "title": "Ink"})
    cite("press/1902", "ink1901")

    response = client.get("/sources/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    titles = {t.text: t.get("href") for t in soup.select(".source-title")}
    assert titles == {"Presses": None, "Ink": "/sources/ink1901/"}


def test_a_stored_key_too_long_for_a_file_name_has_no_page(client):
    long_key = "k" * 5000
    store_legacy_work(long_key, {"type": "book", "title": "Long"})
    cite(long_key)

    assert client.get("/sources/").status_code == 200
    assert client.get(f"/sources/{long_key}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_static_export_survives_a_stored_key_too_long_for_a_file_name(
    settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path / "static"
    store_legacy_work("k" * 5000, {"type": "book", "title": "Long"})
    cite("k" * 5000)

    result = CliRunner().invoke(cli, ["export", "static", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "sources" / "index.html").exists()


BADLY_TYPED = [
    {"author": "Jane Doe"},
    {"issued": "2001"},
    {"title": ["Ink", "Paper"]},
    {"editor": [["Doe"]], "issued": {"date-parts": "2001"}},
]


@pytest.mark.parametrize("fields", BADLY_TYPED)
def test_pages_and_exports_of_a_stored_badly_typed_work_stay_up(
    client, article, fields
):
    corrupt("marlow1998", **fields)

    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/sources/").status_code == 200
    page = client.get("/sources/marlow1998/")
    assert page.status_code == 200
    assert "Harbour Press" in page.content.decode()
    for fmt in ("bib", "ris", "json"):
        assert client.get(f"/sources/bibliography.{fmt}").status_code == 200
        export = client.get(f"/articles/{article.slug}/works-cited.{fmt}")
        assert export.status_code == 200


def test_an_edited_article_citing_a_stored_badly_typed_work_still_renders(
    client, article
):
    corrupt("quill2004", author="Tobias Quill")
    article.body += "\nMore on paper [@quill2004, p. 212].\n"
    save_article(article)

    page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    assert "Rag paper" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_keeps_each_order_of_the_sources_apart(article):
    from tests.serving.wsgi import is_hit, request, warm

    warm("/sources/", "/sources/by/year/")
    status, headers, _ = request("/sources/?sort=year")
    assert status == 302 and headers["location"] == "/sources/by/year/"
    assert is_hit("/sources/?utm_source=feed")  # parameters the page does not read
    assert is_hit("/sources/by/year/")
