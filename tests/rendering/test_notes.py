"""Notes: numbering, references, back-links and problems with line numbers."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.rendering import render


def soup(html):
    return BeautifulSoup(html, "html.parser")


def note_items(doc):
    return soup(doc.notes_html).select("ol.notes-list > li.note")


def test_render_numbers_notes_in_order_of_first_reference():
    doc = render(
        "First[^zeta], then[^alpha], then[^mid].\n\n"
        "[^alpha]: Alpha.\n[^mid]: Middle.\n[^zeta]: Zeta.\n"
    )

    assert [(n.number, n.label) for n in doc.notes] == [
        (1, "zeta"),
        (2, "alpha"),
        (3, "mid"),
    ]
    refs = soup(doc.html).select("sup.note-ref > a")
    assert [a.get_text() for a in refs] == ["1", "2", "3"]
    items = note_items(doc)
    assert [li["id"] for li in items] == ["note-1", "note-2", "note-3"]
    assert [li["value"] for li in items] == ["1", "2", "3"]
    assert "Zeta." in items[0].get_text()


def test_render_reference_follows_the_markup_contract():
    doc = render("Text.[^a]\n\n[^a]: The note.\n")

    sup = soup(doc.html).find("sup")
    assert sup["class"] == ["note-ref"]
    link = sup.find("a")
    assert link["href"] == "#note-1"
    assert link["id"] == "noteref-1"
    assert link["role"] == "doc-noteref"
    assert link.get_text() == "1"


def test_render_notes_section_follows_the_markup_contract():
    doc = render("Text.[^a]\n\n[^a]: The note.\n")

    section = soup(doc.notes_html).find("section")
    assert section["class"] == ["notes"]
    assert section["role"] == "doc-endnotes"
    assert section["aria-labelledby"] == "notes-heading"
    heading = section.find("h2")
    assert (heading["id"], heading.get_text()) == ("notes-heading", "Notes")
    assert section.find("ol")["class"] == ["notes-list"]
    item = section.select_one("ol > li")
    assert (item["id"], item["class"], item["value"]) == ("note-1", ["note"], "1")
    backref = item.select_one("a.note-backref")
    assert backref["href"] == "#noteref-1"
    assert backref["role"] == "doc-backlink"
    assert backref["aria-label"] == "Back to reference 1"
    assert backref.get_text() == "↩"


def test_render_keeps_notes_out_of_the_body_html():
    doc = render("Text.[^a]\n\n[^a]: The note body.\n")

    assert "The note body" not in doc.html
    assert "notes-list" not in doc.html


def test_render_back_links_to_every_reference_of_a_note_cited_three_times():
    doc = render("One[^a], two[^a], three[^a].\n\n[^a]: Cited thrice.\n")

    ref_ids = [a["id"] for a in soup(doc.html).select("sup.note-ref > a")]
    assert ref_ids == ["noteref-1", "noteref-1-2", "noteref-1-3"]
    assert doc.notes[0].ref_ids == tuple(ref_ids)
    backrefs = note_items(doc)[0].select("a.note-backref")
    assert [a["href"] for a in backrefs] == [f"#{i}" for i in ref_ids]
    assert [a["aria-label"] for a in backrefs] == [
        "Back to reference 1",
        "Back to reference 1, occurrence 2",
        "Back to reference 1, occurrence 3",
    ]
    assert [a.get_text() for a in backrefs] == ["↩", "↩2", "↩3"]


def test_render_back_links_resolve_to_reference_ids_and_references_to_notes():
    doc = render("A[^x] B[^y] C[^x] D[^y] E[^z].\n\n[^x]: X.\n[^y]: Y.\n[^z]: Z.\n")
    body, notes = soup(doc.html), soup(doc.notes_html)

    body_ids = {a["id"] for a in body.select("sup.note-ref > a")}
    note_ids = {li["id"] for li in notes.select("li.note")}
    assert {a["href"][1:] for a in body.select("sup.note-ref > a")} == note_ids
    assert {a["href"][1:] for a in notes.select("a.note-backref")} == body_ids


def test_render_a_note_cited_more_than_once_is_listed_once():
    doc = render("Once[^a] and again[^a].\n\n[^a]: Only once in the list.\n")

    assert len(doc.notes) == 1
    assert len(note_items(doc)) == 1
    assert doc.problems == ()


def test_render_puts_back_links_inside_the_last_paragraph_of_a_note():
    doc = render("Text.[^a]\n\n[^a]: First paragraph.\n\n    Second paragraph.\n")

    paragraphs = note_items(doc)[0].find_all("p", recursive=False)
    assert [p.get_text(" ", strip=True) for p in paragraphs] == [
        "First paragraph.",
        "Second paragraph. ↩",
    ]
    assert paragraphs[-1].find("a", class_="note-backref")


@pytest.mark.parametrize(
    ("definition", "kept_selector"),
    [
        ("[^a]: Intro.\n\n    - one\n    - two\n", "ul > li"),
        ("[^a]: Intro.\n\n    1. one\n    2. two\n", "ol > li"),
        ("[^a]: Intro.\n\n    > Quoted words.\n", "blockquote > p"),
        ("[^a]: Intro.\n\n        code block\n", "pre > code"),
    ],
    ids=["bulleted-list", "numbered-list", "blockquote", "code-block"],
)
def test_render_preserves_block_structure_in_notes_and_appends_back_links(
    definition, kept_selector
):
    doc = render("Text.[^a]\n\n" + definition)

    item = note_items(doc)[0]
    assert item.select(kept_selector)
    last = item.find_all(recursive=False)[-1]
    assert last.name == "p"
    assert last.find("a", class_="note-backref")["href"] == "#noteref-1"


def test_render_note_html_is_the_body_without_back_links():
    doc = render("Text.[^a]\n\n[^a]: Plain *body*.\n")

    assert doc.notes[0].html.strip() == "<p>Plain <em>body</em>.</p>"


def test_render_numbers_a_note_cited_only_inside_another_note_after_it():
    doc = render("A[^a] B[^b].\n\n[^a]: See also[^c].\n[^b]: Bee.\n[^c]: Sea.\n")

    assert [n.label for n in doc.notes] == ["a", "b", "c"]
    nested = soup(doc.notes_html).select_one("#note-1 sup.note-ref > a")
    assert (nested["href"], nested["id"]) == ("#note-3", "noteref-3")
    assert doc.problems == ()


def test_render_numbers_inline_notes_with_the_others():
    doc = render("A[^a] and B^[An *inline* note.] and C[^a].\n\n[^a]: Ay.\n")

    assert [(n.number, n.label) for n in doc.notes] == [(1, "a"), (2, "")]
    assert "<em>inline</em>" in doc.notes[1].html


def test_render_returns_empty_notes_when_there_are_none():
    doc = render("No notes here.\n")

    assert doc.notes == ()
    assert doc.notes_html == ""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Intro.\n\nThis cites[^ghost].\n",
            [(3, "undefined-note", "note reference [^ghost] has no definition")],
        ),
        (
            "Line one\nline two[^a]\nline three[^nope]\n\n[^a]: Defined.\n",
            [(3, "undefined-note", "note reference [^nope] has no definition")],
        ),
        (
            "Text.[^a]\n\n[^a]: Used.\n\n[^spare]: Never cited.\n",
            [(5, "unused-note", "note [^spare] is defined but never referenced")],
        ),
        (
            "Text.[^a]\n\n[^a]: First.\n[^a]: Second.\n",
            [
                (
                    4,
                    "duplicate-note",
                    "note [^a] is defined more than once (first at line 3)",
                )
            ],
        ),
        (
            "| a | b |\n|---|---|\n| 1 | 2[^t] |\n",
            [(3, "undefined-note", "note reference [^t] has no definition")],
        ),
        (
            "# Heading[^h]\n",
            [(1, "undefined-note", "note reference [^h] has no definition")],
        ),
    ],
    ids=[
        "undefined",
        "undefined-on-third-line-of-paragraph",
        "unused",
        "duplicate",
        "undefined-in-table",
        "undefined-in-heading",
    ],
)
def test_render_reports_note_problems_with_line_numbers(source, expected):
    doc = render(source)

    assert [(p.line, p.code, p.message) for p in doc.problems] == expected
    assert doc.has_problems


def test_render_keeps_the_first_of_duplicate_definitions():
    doc = render("Text.[^a]\n\n[^a]: First.\n[^a]: Second.\n")

    assert "First." in doc.notes_html
    assert "Second." not in doc.notes_html


def test_render_reports_a_note_cited_only_from_an_unused_note_as_unused():
    doc = render("Text.\n\n[^a]: Cites [^b].\n[^b]: Bee.\n")

    assert [(p.line, p.code) for p in doc.problems] == [
        (3, "unused-note"),
        (4, "unused-note"),
    ]
    assert "only from unused notes" in doc.problems[1].message


def test_render_reports_problems_in_source_order():
    doc = render("A[^late] and [^x].\n\n[^late]: L.\n[^late]: L2.\n[^spare]: S.\n")

    assert [(p.line, p.code) for p in doc.problems] == [
        (1, "undefined-note"),
        (4, "duplicate-note"),
        (5, "unused-note"),
    ]


def test_render_document_without_problems_has_empty_problems():
    doc = render("Clean[^a] text.\n\n[^a]: Fine.\n")

    assert doc.problems == ()
    assert not doc.has_problems


@pytest.mark.parametrize(
    "source",
    [
        "Write `[^x]` to cite.\n",
        "Example:\n\n```\nText[^x]\n```\n",
        "Example:\n\n    Text[^x]\n",
        "Escaped \\[^x] is literal.\n",
        "Spaces [^not a label] are not references.\n",
    ],
    ids=["code-span", "fenced-code", "indented-code", "escaped", "label-with-spaces"],
)
def test_render_does_not_report_note_like_text_that_is_not_a_reference(source):
    assert render(source).problems == ()


def test_problem_str_names_the_line():
    doc = render("\n\nSee[^foo].\n")

    assert str(doc.problems[0]) == "line 3: note reference [^foo] has no definition"


def test_note_label_that_never_closes_is_read_in_linear_time(
    render_bounded, render_growth
):
    # With a note defined, every "[^" was tried as a reference label running to
    # the next "]": from each of 20,000 of them, to the end of the line.
    def unclosed_labels(count: int) -> str:
        return "[^" * count + " text[^1]\n\n[^1]: The note.\n"

    assert (
        render_growth(unclosed_labels, 2_000) < 10
    )  # about 4 when linear, 16 when quadratic
    doc = render_bounded(unclosed_labels(5_000), seconds=60)

    assert doc.problems == ()
    assert [n.label for n in doc.notes] == ["1"]
    assert "[^[^[^" in doc.html


def test_empty_note_definition_is_a_problem_on_its_line():
    doc = render("A claim.[^1]\n\nMore.\n\n[^1]:\n")

    assert [(p.line, p.code) for p in doc.problems] == [(5, "empty-note")]
    assert doc.problems[0].message == "note [^1] has no text"


def test_note_holding_only_code_is_not_empty():
    doc = render("A claim.[^1]\n\n[^1]:\n    ```\n    set type\n    ```\n")

    assert doc.problems == ()
