"""The exported site's search: the index files the export writes, and the page."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.utils import timezone

from broadsheet.cli import cli
from broadsheet.content.models import Article
from broadsheet.export import search_index
from broadsheet.publishing.services import save_article, unpublish_article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db(transaction=True)


def export(target):
    result = CliRunner().invoke(cli, ["export", "static", str(target), "--jobs=1"])
    assert result.exit_code == 0, result.output
    return result


def make_corpus() -> dict[str, Article]:
    """Three articles about printing; one names the linotype in its title."""
    hale = make_author(name="Mira Hale", slug="mira-hale")
    return {
        "linotype": make_article(
            title="The Linotype Arrives",
            slug="linotype-arrives",
            authors=[hale],
            excerpt="How hot metal type changed a composing room.",
            body="The linotype cast a whole line of type at once. Compositors"
            " learned its keyboard in weeks.",
        ),
        "mention": make_article(
            title="Hand Setting",
            slug="hand-setting",
            body="Setting by hand was slow; the linotype later replaced it for"
            " news work. Sticks, galleys and quoins filled the case room.",
        ),
        "paper": make_article(
            title="Rag Paper",
            slug="rag-paper",
            body="Paper mills beat cotton rags into pulp. Crème of the crop.",
        ),
        "draft": make_article(
            title="Linotype Secrets",
            slug="linotype-secrets",
            status=Article.Status.DRAFT,
            body="An unpublished piece about the linotype.",
        ),
    }


def read(target, name):
    return json.loads((target / "search" / name).read_text())


def postings_of(target, term: str) -> dict[int, int]:
    """The documents of `term` and their weights, from the gaps written."""
    flat = read(target, f"terms/{search_index.shard_key(term)}.json")[term]
    docs, number = {}, 0
    for gap, weight in zip(flat[0::2], flat[1::2], strict=True):
        number += gap
        docs[number] = weight
    return docs


def doc(target, number: int) -> list:
    index = read(target, "index.json")
    return read(target, f"docs/{number // index['docBlock']}.json")[
        number % index["docBlock"]
    ]


def test_the_index_holds_live_articles_with_their_words(tmp_path):
    make_corpus()
    target = tmp_path / "out"
    export(target)
    index = read(target, "index.json")
    assert index["count"] == 3 and len(index["lengths"]) == 3
    docs = {doc(target, n)[0]: doc(target, n) for n in range(3)}
    assert set(docs) == {
        "/articles/linotype-arrives/",
        "/articles/hand-setting/",
        "/articles/rag-paper/",
    }
    url, title, byline, date, excerpt = docs["/articles/linotype-arrives/"]
    assert (title, byline) == ("The Linotype Arrives", "Mira Hale")
    assert excerpt == "How hot metal type changed a composing room."
    assert len(date) == 10 and date[4] == "-"
    linotype = postings_of(target, "linotype")
    assert {doc(target, n)[0] for n in linotype} == {
        "/articles/linotype-arrives/",
        "/articles/hand-setting/",
    }  # never the draft
    # A word in the title weighs more than one in the text.
    by_url = {doc(target, n)[0]: weight for n, weight in linotype.items()}
    assert by_url["/articles/linotype-arrives/"] > by_url["/articles/hand-setting/"]
    # Byline names are words too; accents come off as in the browser.
    assert set(postings_of(target, "hale")) and set(postings_of(target, "creme"))
    assert (
        target / "search" / "search.js"
    ).read_bytes() == search_index.SCRIPT.read_bytes()


def test_the_search_page_works_without_the_server_and_says_what_js_does(tmp_path):
    make_corpus()
    target = tmp_path / "out"
    export(target)
    html = (target / "search" / "index.html").read_text()
    assert '<script src="/search/search.js" defer></script>' in html
    assert 'action="/search/"' in html
    assert "search needs JavaScript" in html and 'href="/archive/"' in html
    assert "<noscript>" in html


def test_a_rerun_rewrites_the_index_only_when_articles_changed(tmp_path):
    articles = make_corpus()
    target = tmp_path / "out"
    export(target)
    assert "0 search index files written" in export(target).output
    unpublish_article(articles["paper"])
    export(target)
    assert read(target, "index.json")["count"] == 2
    assert not (target / "search" / "terms" / "pu.json").exists()  # "pulp" is gone


def test_terms_fold_case_and_accents_and_skip_single_letters():
    assert search_index.terms("Crème BRÛLÉE a x1 Ægir") == [
        "creme",
        "brulee",
        "x1",
        "ægir",
    ]
    assert search_index.shard_key("ægir") == "ue6g"


def test_words_in_nearly_every_article_of_a_larger_site_are_left_out():
    def doc(number, words):
        return search_index.Doc(number, f"/a/{number}/", "", "", "", "", words)

    docs = [doc(n, {"the": 3, "type": 1} if n % 2 else {"the": 2}) for n in range(60)]
    docs.append(doc(60, {"the": 1, "linotype": 4}))
    index, common = search_index.postings(docs)
    assert common == ["the"]  # in every article: it ranks nothing
    assert len(index["type"]) == 30  # in half: a subject's word stays
    assert index["linotype"] == [(60, 4)]
    few, none_left_out = search_index.postings(docs[:10])
    assert none_left_out == [] and len(few["the"]) == 10


def search_files(target) -> dict[str, bytes]:
    root = target / "search"
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.json")
    }


def test_a_rerun_patches_the_shards_of_changed_words_to_a_whole_builds_bytes(
    tmp_path, monkeypatch
):
    """After an edit and after a newly published article, a re-run rewrites only
    the shards of the words that changed (export.search_patch), never building the
    index whole, and its files are the bytes a fresh export writes."""
    articles = make_corpus()
    target = tmp_path / "out"
    export(target)
    whole_build = search_index.build
    monkeypatch.setattr(search_index, "build", lambda docs: pytest.fail("built whole"))
    paper = articles["paper"]
    paper.body = "Paper mills beat linen rags into pulp; vellum is calfskin."
    save_article(paper)
    make_article(title="Wood Pulp", slug="wood-pulp", published_at=timezone.now())
    edited = export(target)

    assert "search index files written" in edited.output
    assert postings_of(target, "vellum") and postings_of(target, "linen")
    assert "cotton" not in read(target, "terms/co.json")  # "composing" stays
    assert doc(target, 3)[0] == "/articles/wood-pulp/"  # the newest, numbered last
    monkeypatch.setattr(search_index, "build", whole_build)
    fresh = tmp_path / "fresh"
    export(fresh)
    assert search_files(target) == search_files(fresh)
    assert (target / ".broadsheet-search.txt").read_bytes() == (
        fresh / ".broadsheet-search.txt"
    ).read_bytes()


def test_a_withdrawal_rebuilds_the_index_whole(tmp_path, monkeypatch):
    articles = make_corpus()
    target = tmp_path / "out"
    export(target)
    built = []
    whole_build = search_index.build
    monkeypatch.setattr(
        search_index, "build", lambda docs: built.append(1) or whole_build(docs)
    )
    unpublish_article(articles["mention"])  # numbers after it shift: no patch
    export(target)
    assert built and read(target, "index.json")["count"] == 2
