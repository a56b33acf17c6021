"""Citations: Pandoc syntax, CSL styles, notes, works cited, problems, caching.

Expected strings are derived from the CSL rules of each shipped style (name
forms, delimiters, locator terms, "Ibid." positions), not copied from output.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from broadsheet.rendering import citations, render

STYLE_DIR = Path(__file__).resolve().parents[2] / "broadsheet" / "sources" / "styles"
APA = str(STYLE_DIR / "apa.csl")
CHICAGO_NB = str(STYLE_DIR / "chicago-notes-bibliography.csl")
CHICAGO_IBID = str(STYLE_DIR / "chicago-notes-bibliography-subsequent-ibid.csl")
CHICAGO_AD = str(STYLE_DIR / "chicago-author-date.csl")
MLA = str(STYLE_DIR / "modern-language-association.csl")

WORKS = {
    "marlow1998": {
        "id": "marlow1998",
        "type": "book",
        "author": [{"family": "Marlow", "given": "Agnes"}],
        "title": "The Long Press",
        "publisher": "Harbour Press",
        "publisher-place": "Leeds",
        "issued": {"date-parts": [[1998]]},
    },
    "quill2004": {
        "id": "quill2004",
        "type": "article-journal",
        "author": [
            {"family": "Quill", "given": "Tobias"},
            {"family": "Fenn", "given": "Ruth"},
        ],
        "title": "Rag paper and its discontents",
        "container-title": "Journal of Paper History",
        "volume": "12",
        "issue": "3",
        "page": "201-230",
        "issued": {"date-parts": [[2004]]},
    },
    "undated": {"id": "undated", "type": "book", "title": "A Loaf Undated"},
    "untitled": {
        "id": "untitled",
        "type": "book",
        "author": [{"family": "Nobody"}],
        "issued": {"date-parts": [[1900]]},
    },
}


def citation_texts(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [span.decode_contents() for span in soup.select("span.citation")]


SYNTAX = [
    ("[@marlow1998]", "(Marlow, 1998)"),
    ("[@marlow1998, p. 43]", "(Marlow, 1998, p. 43)"),
    (
        "[@marlow1998, pp. 30-31; @quill2004]",
        "(Marlow, 1998, pp. 30–31; Quill &amp; Fenn, 2004)",
    ),
    ("[see @marlow1998, chap. 2]", "(see Marlow, 1998, Chapter 2)"),
    ("[-@marlow1998]", "(1998)"),
    ("@marlow1998 says", "Marlow (1998)"),
    ("@quill2004 [p. 210] says", "Quill &amp; Fenn (2004, p. 210)"),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    SYNTAX,
    ids=["bare", "page", "pages-and-second", "prefix-chapter", "suppress", "narrative",
         "narrative-locator"],
)  # fmt: skip
def test_render_formats_every_pandoc_citation_form(source, expected):
    doc = render(f"Text {source} here.\n", works=WORKS, style=APA)

    assert doc.problems == ()
    assert citation_texts(doc.html) == [expected]


def test_render_formats_citations_inside_notes():
    doc = render(
        "Body.[^a]\n\n[^a]: See [@marlow1998, p. 9].\n", works=WORKS, style=APA
    )

    assert citation_texts(doc.notes_html) == ["(Marlow, 1998, p. 9)"]
    assert doc.citations[0].anchor == "cite-1"


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


def test_note_style_turns_running_citations_into_notes_numbered_with_the_writers():
    source = (
        "One [@marlow1998, p. 1]. Two.[^a] Three [@quill2004].\n\n[^a]: Own note.\n"
    )

    doc = render(source, works=WORKS, style=CHICAGO_NB)

    assert [note.number for note in doc.notes] == [1, 2, 3]
    assert "Agnes Marlow" in doc.notes[0].html
    assert "Own note." in doc.notes[1].html
    assert "Tobias Quill and Ruth Fenn" in doc.notes[2].html
    assert doc.html.index('href="#note-1"') < doc.html.index('href="#note-3"')


def test_repeated_citation_shortens_per_style():
    source = "A [@marlow1998, p. 4]. B [@quill2004]. C [@marlow1998, p. 5].\n"
    ibid_source = "A [@marlow1998, p. 4]. B [@marlow1998, p. 5].\n"

    short = render(source, works=WORKS, style=CHICAGO_NB)
    ibid = render(ibid_source, works=WORKS, style=CHICAGO_IBID)

    # Chicago 18th: a later citation is author plus short title; the Ibid.
    # variant uses "Ibid." when the previous note cites the same work.
    assert "Marlow, <em>The Long Press</em>, 5." in short.notes[2].html
    assert "Ibid., 5." in ibid.notes[1].html


def test_works_cited_links_back_to_every_citing_spot():
    source = "A [@marlow1998]. B [@quill2004]. C [@marlow1998, p. 9].\n"

    doc = render(source, works=WORKS, style=APA)

    soup = BeautifulSoup(doc.bibliography_html, "html.parser")
    entries = soup.select("li.csl-entry")
    assert [li["id"] for li in entries] == ["work-marlow1998", "work-quill2004"]
    assert [a["href"] for a in entries[0].select("a.cite-backref")] == [
        "#cite-1",
        "#cite-3",
    ]
    body = BeautifulSoup(doc.html, "html.parser")
    assert body.select_one("#cite-3").text == "(Marlow, 1998, p. 9)"


@pytest.mark.parametrize(
    ("source", "code", "line", "key"),
    [
        ("Intro.\n\nSee [@nobody, p. 3].\n", "unknown-citation", 3, "@nobody"),
        ("Intro.\n\nAs @ghost argues.\n", "unknown-citation", 3, "@ghost"),
        ("A.\nAt [@marlow1998, p. 31-30].\n", "malformed-locator", 2, "@marlow1998"),
        ("See [@marlow1998, pp. ].\n", "malformed-locator", 1, "@marlow1998"),
        ("Old [@undated].\n", "incomplete-work", 1, "@undated"),
        ("Old [@untitled].\n", "incomplete-work", 1, "@untitled"),
    ],
    ids=["unknown", "unknown-narrative", "descending-range", "empty-locator",
         "no-date-for-author-date", "no-title"],
)  # fmt: skip
def test_citation_problems_have_codes_lines_and_keys(source, code, line, key):
    doc = render(source, works=WORKS, style=APA)

    assert [(p.code, p.line) for p in doc.problems] == [(code, line)]
    assert key in doc.problems[0].message


def test_unresolved_citation_shows_what_the_writer_typed():
    doc = render("See [@nobody].\n", works=WORKS, style=APA)

    assert citation_texts(doc.html) == ["[@nobody]"]
    assert doc.bibliography_html == ""


def test_email_addresses_and_escaped_at_signs_are_not_citations():
    doc = render("Write to ink@example.com or \\@marlow1998.\n", works=WORKS, style=APA)

    assert doc.problems == ()
    assert doc.citations == ()


def test_render_without_works_leaves_citation_syntax_as_text():
    doc = render("See [@marlow1998, p. 4].\n")

    assert doc.html == "<p>See [@marlow1998, p. 4].</p>\n"


def test_parse_locator_reads_pandoc_labels():
    assert citations.parse_locator(", p. 43") == ("page", "43", True)
    assert citations.parse_locator(", pp. 30-31") == ("page", "30-31", True)
    assert citations.parse_locator(", chap. iv") == ("chapter", "iv", True)
    assert citations.parse_locator(", 12") == ("page", "12", True)
    assert citations.parse_locator(", p. forty")[2] is False


def test_formatted_citations_are_cached_so_rerendering_skips_the_processor(
    monkeypatch,
):
    paragraph = "Words about presses and paper and bread. " * 30
    source = "\n\n".join(f"{paragraph} [@marlow1998, p. {n + 1}]." for n in range(40))
    render(source, works=WORKS, style=CHICAGO_NB)

    def refuse(*args, **kwargs):
        raise AssertionError("the CSL processor ran again")

    monkeypatch.setattr(citations, "_run_pandoc", refuse)
    started = time.perf_counter()
    doc = render(source, works=WORKS, style=CHICAGO_NB)
    elapsed = time.perf_counter() - started

    assert doc.word_count > 6000 and len(doc.notes) == 40
    assert elapsed < 0.2  # typically ~12 ms; generous for loaded CI machines


@pytest.mark.parametrize("repetitions", [24, 48, 5000])
def test_locator_that_almost_parses_is_reported_without_backtracking(
    render_bounded, repetitions
):
    # Each "and1" could be a separator plus a page or part of one page name:
    # a backtracking pattern tried 4.5 times as many splits per two repetitions.
    cluster = "[@marlow1998, 1" + "and1" * repetitions + "!]"

    doc = render_bounded(f"Claim {cluster}.\n", works=WORKS, style=APA, seconds=10)

    assert [(p.code, p.line) for p in doc.problems] == [("malformed-locator", 1)]
    assert citation_texts(doc.html) == [cluster]


def test_bracket_never_closed_before_many_keys_is_read_in_linear_time(render_bounded):
    # Each "[" once tried every later "@" as a cluster's first key, scanning to
    # the end of the text from each of them.
    source = "[" + " @nobody" * 20_000 + "\n"

    doc = render_bounded(source, works=WORKS, style=APA, seconds=10)

    assert len(doc.problems) == 20_001
    assert {(p.code, p.line) for p in doc.problems} == {
        ("unclosed-citation", 1),
        ("unknown-citation", 1),
    }


def test_many_clusters_beside_narrative_citations_are_matched_in_linear_time(
    render_bounded,
):
    source = "[@nobody] @ghost " * 10_000 + "\n"

    doc = render_bounded(source, works=WORKS, style=APA, seconds=10)

    assert len(doc.problems) == 20_000
    assert citation_texts(doc.html)[:3] == ["[@nobody]", "@ghost", "[@nobody]"]


PLAIN = "Making the point plainly [@marlow1998, p. 4]. A compositor sets type.\n"


def test_note_style_puts_the_mark_after_the_punctuation_without_a_space():
    doc = render(PLAIN, works=WORKS, style=CHICAGO_NB)

    paragraph = BeautifulSoup(doc.html, "html.parser").p
    mark = paragraph.select_one("span.citation")
    assert mark["id"] == "cite-1"
    assert mark.decode_contents() == (
        '<sup class="note-ref"><a href="#note-1" id="noteref-1" '
        'role="doc-noteref">1</a></sup>'
    )
    assert str(mark.previous_sibling) == "Making the point plainly."
    assert str(mark.next_sibling) == " A compositor sets type."
    assert "Agnes Marlow" in doc.notes[0].html


@pytest.mark.parametrize("punctuation", [",", ";", ":", "?", "!", "…"])
def test_note_style_moves_every_closing_punctuation_before_the_mark(punctuation):
    source = f"Before the mark [@marlow1998]{punctuation} after.\n"

    doc = render(source, works=WORKS, style=CHICAGO_NB)

    assert f'mark{punctuation}<span class="citation"' in doc.html


def test_author_date_style_keeps_the_parenthetical_before_the_punctuation():
    doc = render(PLAIN, works=WORKS, style=CHICAGO_AD)

    assert doc.html == (
        '<p>Making the point plainly <span class="citation" id="cite-1">'
        "(Marlow 1998, 4)</span>. A compositor sets type.</p>\n"
    )


def test_hand_written_note_marks_stay_where_the_writer_put_them():
    source = "A claim [^1]. Another claim.[^2]\n\n[^1]: One.\n[^2]: Two.\n"

    doc = render(source, works=WORKS, style=CHICAGO_NB)

    assert doc.html.startswith('<p>A claim <sup class="note-ref">')
    assert '</sup>. Another claim.<sup class="note-ref">' in doc.html


@pytest.mark.parametrize(
    "style", [CHICAGO_NB, CHICAGO_AD], ids=["notes", "author-date"]
)
def test_excerpt_has_no_space_before_punctuation_where_a_citation_was(style):
    doc = render(PLAIN, works=WORKS, style=style)

    assert doc.excerpt == "Making the point plainly. A compositor sets type."


def test_citation_without_its_closing_bracket_is_a_problem_on_its_line():
    doc = render(
        "Intro.\n\nSee [@marlow1998, p. 4 and so on.\n", works=WORKS, style=APA
    )

    assert [(p.line, p.code) for p in doc.problems] == [(3, "unclosed-citation")]
    assert "[@marlow1998, p. 4 and so on." in doc.problems[0].message


@pytest.mark.parametrize("suffix", ["zz", "pg4", "xx."])
def test_one_word_that_is_no_locator_is_a_problem(suffix):
    doc = render(f"See [@marlow1998, {suffix}].\n", works=WORKS, style=APA)

    assert [(p.line, p.code) for p in doc.problems] == [(1, "not-a-locator")]
    assert f"\u201c{suffix}\u201d where a locator goes" in doc.problems[0].message


@pytest.mark.parametrize("suffix", ["emphasis added", "passim", "iv", "p. 4"])
def test_suffixes_pandoc_accepts_are_not_problems(suffix):
    doc = render(f"See [@marlow1998, {suffix}].\n", works=WORKS, style=APA)

    assert doc.problems == ()
