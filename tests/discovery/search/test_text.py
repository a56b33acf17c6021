"""The index reads the rendered text: no Markdown syntax, no note numbers."""

from broadsheet.discovery.search.text import (
    HIT_END,
    HIT_START,
    MAX_COLUMN_CHARS,
    body_text,
    notes_text,
    plain,
)
from broadsheet.rendering import render

SOURCE = """# Casting

Hot *metal* was poured into a [hand mould](https://example.org/mould).[^a]
The matrix gave each sort its face.[^b]

| tool | use |
| --- | --- |
| quoin | lock-up |

[^a]: A note about **moulds**.
[^b]: A second note.

    With a second paragraph.
"""


def test_body_text_is_the_rendered_prose_without_markup_or_note_numbers():
    text = body_text(render(SOURCE).html)
    assert text == (
        "Casting Hot metal was poured into a hand mould. The matrix gave each sort"
        " its face. tool use quoin lock-up"
    )


def test_notes_text_keeps_each_note_and_where_it_starts():
    text, starts = notes_text(render(SOURCE).notes_html)
    assert text == "A note about moulds.\n\nA second note. With a second paragraph."
    assert starts == [[0, 1], [22, 2]]
    assert text[22:].startswith("A second note.")


def test_a_writers_note_like_list_inside_a_note_stays_in_that_note():
    source = 'Text.[^a]\n\n[^a]: <ol><li class="note" id="note-9">inner</li></ol>\n'
    text, starts = notes_text(render(source).notes_html)
    assert [number for _, number in starts] == [1] and "inner" in text


def test_body_text_ignores_a_notes_list_written_into_the_body():
    html = '<p>Lead</p><ol class="notes-list"><li id="note-1">kept</li></ol>'
    assert body_text(html) == "Lead kept"


def test_hit_markers_typed_by_a_writer_are_taken_out():
    assert plain(f"a{HIT_START}b{HIT_END}c") == "a b c"


def test_text_is_capped_and_deep_nesting_is_read_in_one_pass():
    assert len(plain("word " * 100_000)) == MAX_COLUMN_CHARS
    deep = "<div>" * 20_000 + "core" + "</div>" * 20_000
    assert body_text(deep) == "core"
