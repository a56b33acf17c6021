"""Hand-made notes: superscript numbers and a numbered Notes list become [^n]."""

from __future__ import annotations

import pytest

from broadsheet.migration.wordpress.convert import convert_post
from broadsheet.rendering import render

OL = (
    "<p>Dough rises in warmth.<sup>1</sup> It falls when overproofed."
    '<sup><a href="#note2">2</a></sup></p>\n'
    "<h3>Notes</h3>\n"
    '<ol><li id="note1">Around 27 degrees. <a href="#ref1">\u21a9</a></li>'
    "<li>The gluten <em>tears</em>.</li></ol>"
)


def messages(conversion) -> list[str]:
    return [found.message for found in conversion.problems]


def test_superscripts_and_an_ordered_list_become_notes():
    conversion = convert_post(OL)
    assert conversion.markdown == (
        "Dough rises in warmth.[^1] It falls when overproofed.[^2]\n\n"
        "[^1]: Around 27 degrees.\n\n"
        "[^2]: The gluten *tears*.\n"
    )
    assert conversion.notes == 2
    assert conversion.problems == []
    document = render(conversion.markdown)
    assert [problem for problem in document.problems] == []
    assert len(document.notes) == 2


@pytest.mark.parametrize("opening", ["1. ", "1) ", "1 ", "[1] ", "<sup>1</sup> "])
def test_numbered_paragraphs_under_the_heading_become_notes(opening):
    body = (
        "<p>The comet returns every 76 years.<sup>1</sup></p>"
        "<p><strong>Endnotes</strong></p>"
        f"<p>{opening}Halley predicted the 1758 return.</p>"
    )
    conversion = convert_post(body)
    assert conversion.markdown == (
        "The comet returns every 76 years.[^1]\n\n"
        "[^1]: Halley predicted the 1758 return.\n"
    )


def test_an_ol_start_attribute_numbers_its_items():
    body = (
        "<p>Ink dries.<sup>3</sup></p><h2>References</h2>"
        '<ol start="3"><li>Linseed oil oxidises.</li></ol>'
    )
    assert convert_post(body).markdown == (
        "Ink dries.[^1]\n\n[^1]: Linseed oil oxidises.\n"
    )


def test_a_number_without_a_list_item_is_left_as_text_and_reported():
    body = (
        "<p>Area in m<sup>2</sup> and a note.<sup>1</sup></p>"
        "<h3>Notes</h3><ol><li>Measured by hand.</li></ol>"
    )
    conversion = convert_post(body)
    assert "m<sup>2</sup>" in conversion.markdown
    assert "[^1]: Measured by hand." in conversion.markdown
    assert messages(conversion) == [
        "superscript 2 has no item 2 in the Notes list; left as text"
    ]
    assert conversion.problems[0].line == 1


def test_a_list_item_without_a_number_in_the_text_is_left_and_reported():
    body = (
        "<p>Stars twinkle.<sup>1</sup></p>"
        "<h3>Notes</h3><ol><li>Air turbulence.</li><li>An orphan.</li></ol>"
    )
    conversion = convert_post(body)
    assert "### Notes" in conversion.markdown
    assert "An orphan." in conversion.markdown
    assert "[^1]: Air turbulence." in conversion.markdown
    assert messages(conversion) == [
        "note 2 of the Notes list is not referenced in the text; left as text"
    ]


def test_a_linked_superscript_with_no_notes_list_is_reported():
    conversion = convert_post('<p>Yeast.<sup><a href="#fn1">1</a></sup></p>')
    assert "<sup>1</sup>" in conversion.markdown
    assert messages(conversion) == ["note 1 has no Notes list at the end; left as text"]


def test_an_exponent_without_a_notes_list_is_just_text():
    conversion = convert_post("<p>E = mc<sup>2</sup></p>")
    assert conversion.markdown == "E = mc<sup>2</sup>\n"
    assert conversion.problems == []


def test_a_bibliography_under_references_with_no_numbers_is_left_alone():
    body = "<p>Text.</p><h2>References</h2><ol><li>Moxon, 1683.</li></ol>"
    conversion = convert_post(body)
    assert "## References" in conversion.markdown
    assert conversion.problems == []


def test_hand_notes_number_with_shortcode_notes_in_reading_order():
    body = (
        "<p>First.[ref]A shortcode note.[/ref] Second.<sup>1</sup></p>"
        "<h4>Notes</h4><ol><li>A hand-made note.</li></ol>"
    )
    assert convert_post(body).markdown == (
        "First.[^1] Second.[^2]\n\n[^1]: A shortcode note.\n\n[^2]: A hand-made note.\n"
    )


def test_many_superscripts_convert_in_linear_time():
    # Scanning, not backtracking: a long post of notes is converted in one pass.
    count = 400
    text = "".join(f"<p>Step {n}.<sup>{n}</sup></p>" for n in range(1, count + 1))
    items = "".join(f"<li>Note {n}.</li>" for n in range(1, count + 1))
    conversion = convert_post(text + "<h3>Notes</h3><ol>" + items + "</ol>")
    assert conversion.notes == count
    assert conversion.problems == []
