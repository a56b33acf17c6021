"""Snippets are escaped stored text with <mark> added: never HTML from the index."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.discovery.search import search
from broadsheet.discovery.search.snippets import fragment, highlighted
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_text_is_escaped_before_hit_words_are_marked():
    html = highlighted("a <b> & c <mark>d</mark>", frozenset({"c", "mark"}))
    assert html == (
        "a &lt;b&gt; &amp; <mark>c</mark> &lt;<mark>mark</mark>&gt;d&lt;/"
        "<mark>mark</mark>&gt;"
    )


def test_only_whole_words_are_marked_whatever_their_case():
    html = highlighted("Type, typeset and TYPE.", frozenset({"type"}))
    assert html == "<mark>Type</mark>, typeset and <mark>TYPE</mark>."


def test_a_fragment_is_a_window_around_the_first_hit():
    text = " ".join(f"w{n}" for n in range(100)) + " quoin " + "tail " * 100
    html = fragment(text, frozenset({"quoin"}))
    assert html.startswith("\u2026w90 ") and html.endswith("\u2026")
    assert "<mark>quoin</mark>" in html and "w89" not in html
    assert fragment("no hit here", frozenset({"quoin"})) is None


def test_text_that_looks_like_markup_is_shown_as_text():
    make_article(
        slug="markup",
        body="Write `<mark>` and `<script>alert(1)</script>` beside the lozenge.",
    )
    (hit,) = search("lozenge").hits
    soup = BeautifulSoup(hit.snippet.html, "html.parser")
    assert [mark.get_text() for mark in soup.find_all("mark")] == ["lozenge"]
    assert soup.find("script") is None
    assert "<script>alert(1)</script>" in soup.get_text()


def test_a_long_body_gives_a_snippet_with_ellipses_around_the_hit():
    filler = " ".join(["Ink dries slowly on damp paper."] * 40)
    make_article(slug="long", body=f"{filler} The burnisher shines. {filler}")
    (hit,) = search("burnisher").hits
    text = BeautifulSoup(hit.snippet.html, "html.parser").get_text()
    assert text.startswith("\u2026") and text.endswith("\u2026")
    assert "burnisher" in text and len(text) < 400
