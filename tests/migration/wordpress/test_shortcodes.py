"""Shortcodes are found in one pass; known ones converted, unknown ones removed."""

import pytest

from broadsheet.migration.wordpress.shortcodes import (
    MARK_CLOSE,
    MARK_OPEN,
    expand_shortcodes,
)


def marker(index: int) -> str:
    return f"{MARK_OPEN}s{index}{MARK_CLOSE}"


@pytest.mark.parametrize(
    "raw",
    [
        '[plugin id="4696" align="left"]',
        "[contact-form-7 id='1' title='Contact']",
        "[donate amount=5]",
        "[newsletter/]",
        "[newsletter /]",
        "[sign-up]",
    ],
    ids=["double", "single", "bare-value", "self-closed", "self-closed-space", "dash"],
)
def test_shortcode_shapes_are_removed_and_recorded(raw):
    expansion = expand_shortcodes(f"<p>Before {raw} after.</p>")
    assert expansion.html == f"<p>Before {marker(0)} after.</p>"
    assert expansion.removed == [raw]


def test_enclosing_unknown_shortcode_keeps_its_content():
    expansion = expand_shortcodes("[box style=warm]Rye <b>bread</b>[/box] crumbs")
    assert expansion.html == f"{marker(0)}Rye <b>bread</b> crumbs"
    assert expansion.removed == ["[box style=warm]"]


def test_stray_closing_tag_is_removed():
    expansion = expand_shortcodes("Salt.[/ref]")
    assert (expansion.html, expansion.removed) == (f"Salt.{marker(0)}", ["[/ref]"])


def test_bare_bracketed_words_stay_as_text():
    expansion = expand_shortcodes("An error [sic], a range [1-3] and [a b c].")
    assert expansion.html == "An error [sic], a range [1-3] and [a b c]."
    assert (expansion.kept, expansion.removed) == (["[sic]", "[a b c]"], [])


def test_note_shortcodes_collect_their_html_in_order():
    expansion = expand_shortcodes(
        "A[ref]one <em>x</em>[/ref] B[footnote]two[/footnote]"
    )
    assert expansion.html == (
        'A<sup data-wp-note="0"></sup> B<sup data-wp-note="1"></sup>'
    )
    assert expansion.notes == ["one <em>x</em>", "two"]


def test_shortcodes_inside_a_note_are_expanded_too():
    expansion = expand_shortcodes('A[ref]see [plugin id="9"] here[/ref]')
    assert expansion.notes == [f"see {marker(0)} here"]


def test_unbalanced_brackets_do_not_swallow_text():
    text = "[[[ [a [b " * 500 + '[plugin id="1"] ]]]'
    expansion = expand_shortcodes(text)
    assert expansion.removed == ['[plugin id="1"]']
    assert expansion.html == "[[[ [a [b " * 500 + f"{marker(0)} ]]]"


def test_media_shortcodes_become_links_or_are_removed():
    expansion = expand_shortcodes(
        '[audio mp3="https://old.example.org/oven.mp3"][/audio]'
        '[video src="javascript:alert(1)"]'
        '[gallery ids="3,4"]'
    )
    assert expansion.html == (
        '<p><a href="https://old.example.org/oven.mp3">'
        f"https://old.example.org/oven.mp3</a></p>{marker(0)}"
        '<div data-wp-gallery="3,4"></div>'  # its images are found in convert.py
    )
    assert expansion.removed == ['[video src="javascript:alert(1)"]']


def test_text_without_brackets_is_returned_unchanged():
    assert expand_shortcodes("<p>Plain dough.</p>").html == "<p>Plain dough.</p>"
