"""Note-mark placement: a note style's marks follow the punctuation, no space."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from broadsheet.rendering import render
from tests.rendering.citations.conftest import CHICAGO_AD, CHICAGO_NB, WORKS

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
