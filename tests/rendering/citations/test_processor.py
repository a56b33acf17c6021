"""The CSL processor: each shipped style's output, short forms, the cache.

Expected strings are derived from the CSL rules of each shipped style (name
forms, delimiters, locator terms, "Ibid." positions), not copied from output.
"""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup

from broadsheet.rendering import render
from broadsheet.rendering.citations import processor
from tests.rendering.citations.conftest import (
    APA,
    CHICAGO_AD,
    CHICAGO_IBID,
    CHICAGO_NB,
    MLA,
    WORKS,
)

STYLES = [
    (
        CHICAGO_NB,
        "Agnes Marlow, <em>The Long Press</em> (Harbour Press, 1998), 43.",
        "Marlow, Agnes. <em>The Long Press</em>. Harbour Press, 1998.",
    ),
    (
        CHICAGO_AD,
        "(Marlow 1998, 43)",
        "Marlow, Agnes. 1998. <em>The Long Press</em>. Harbour Press.",
    ),
    (
        APA,
        "(Marlow, 1998, p. 43)",
        "Marlow, A. (1998). <em>The Long Press</em>. Harbour Press.",
    ),
    (
        MLA,
        "(Marlow 43)",
        "Marlow, Agnes. <em>The Long Press</em>. Harbour Press, 1998.",
    ),
]


@pytest.mark.parametrize(
    ("style", "citation", "entry"),
    STYLES,
    ids=["chicago-notes", "chicago-author-date", "apa", "mla"],
)
def test_each_shipped_style_formats_a_book_citation_and_entry(style, citation, entry):
    doc = render("Printing spread [@marlow1998, p. 43].\n", works=WORKS, style=style)

    soup = BeautifulSoup(doc.html + doc.notes_html, "html.parser")
    # In a note style the running text holds only the mark; the text is the note's.
    texts = [
        s.decode_contents()
        for s in soup.select("span.citation")
        if not s.select("sup.note-ref")
    ]
    bib = BeautifulSoup(doc.bibliography_html, "html.parser").select_one("li")
    assert texts == [citation]
    assert bib.decode_contents().split(" <a")[0] == entry


def test_journal_article_entry_follows_each_style():
    expected = {
        CHICAGO_NB: "Quill, Tobias, and Ruth Fenn. “Rag Paper and Its Discontents.” "
        "<em>Journal of Paper History</em> 12, no. 3 (2004): 201–30.",
        APA: "Quill, T., &amp; Fenn, R. (2004). Rag paper and its discontents. "
        "<em>Journal of Paper History</em>, <em>12</em>(3), 201–230.",
        MLA: "Quill, Tobias, and Ruth Fenn. “Rag Paper and Its Discontents.” "
        "<em>Journal of Paper History</em>, vol. 12, no. 3, 2004, pp. 201–30.",
    }
    for style, entry in expected.items():
        doc = render("[@quill2004]\n", works=WORKS, style=style)
        bib = BeautifulSoup(doc.bibliography_html, "html.parser").select_one("li")
        assert bib.decode_contents().split(" <a")[0] == entry, style


def test_repeated_citation_shortens_per_style():
    source = "A [@marlow1998, p. 4]. B [@quill2004]. C [@marlow1998, p. 5].\n"
    ibid_source = "A [@marlow1998, p. 4]. B [@marlow1998, p. 5].\n"

    short = render(source, works=WORKS, style=CHICAGO_NB)
    ibid = render(ibid_source, works=WORKS, style=CHICAGO_IBID)

    # Chicago 18th: a later citation is author plus short title; the Ibid.
    # variant uses "Ibid." when the previous note cites the same work.
    assert "Marlow, <em>The Long Press</em>, 5." in short.notes[2].html
    assert "Ibid., 5." in ibid.notes[1].html


def test_formatted_citations_are_cached_so_rerendering_skips_the_processor(
    monkeypatch,
):
    paragraph = "Words about presses and paper and bread. " * 30
    source = "\n\n".join(f"{paragraph} [@marlow1998, p. {n + 1}]." for n in range(40))
    render(source, works=WORKS, style=CHICAGO_NB)

    def refuse(*args, **kwargs):
        raise AssertionError("the CSL processor ran again")

    monkeypatch.setattr(processor, "_run_pandoc", refuse)
    started = time.perf_counter()
    doc = render(source, works=WORKS, style=CHICAGO_NB)
    elapsed = time.perf_counter() - started

    assert doc.word_count > 6000 and len(doc.notes) == 40
    assert elapsed < 0.2  # typically ~12 ms; generous for loaded CI machines
