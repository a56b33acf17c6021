"""The citation plugin: citations in notes, as notes, unresolved, or left as text."""

from __future__ import annotations

from broadsheet.rendering import render
from tests.rendering.citations.conftest import APA, CHICAGO_NB, WORKS, citation_texts


def test_render_formats_citations_inside_notes():
    doc = render(
        "Body.[^a]\n\n[^a]: See [@marlow1998, p. 9].\n", works=WORKS, style=APA
    )

    assert citation_texts(doc.notes_html) == ["(Marlow, 1998, p. 9)"]
    assert doc.citations[0].anchor == "cite-1"


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


def test_unresolved_citation_shows_what_the_writer_typed():
    doc = render("See [@nobody].\n", works=WORKS, style=APA)

    assert citation_texts(doc.html) == ["[@nobody]"]
    assert doc.bibliography_html == ""


def test_render_without_works_leaves_citation_syntax_as_text():
    doc = render("See [@marlow1998, p. 4].\n")

    assert doc.html == "<p>See [@marlow1998, p. 4].</p>\n"
