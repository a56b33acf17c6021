"""Raw HTML read as the HTML standard's tokenizer reads it (rendering.html_tokens)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.rendering import html_tokens
from broadsheet.rendering.html_tokens import Markup, Tag, Text, Tokenizer


def read(html: str, raw_text: str = "") -> list[tuple[str, str]]:
    tokenizer = Tokenizer(raw_text)
    return [(type(token).__name__, html[token.start : token.end])
            for token in tokenizer.tokens(html)]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "tokens"),
    [
        ('<a title="1 > 0 <b>">x', [("Tag", '<a title="1 > 0 <b>">'), ("Text", "x")]),
        # A quote opens a value only after "=": here it is part of a name.
        ('<a "x>y">', [("Tag", '<a "x>'), ("Text", 'y">')]),
        ("<!-- <b> --!> x", [("Markup", "<!-- <b> --!>"), ("Text", " x")]),
        ("<!-->x<!--->y", [("Markup", "<!-->"), ("Text", "x"), ("Markup", "<!--->"),
                           ("Text", "y")]),
        ("</> </3 x> <?p ?>", [("Markup", "</>"), ("Text", " "), ("Markup", "</3 x>"),
                               ("Text", " "), ("Markup", "<?p ?>")]),
        ("a < b", [("Text", "a "), ("Text", "<"), ("Text", " b")]),
        ('<img src="a.png"\n', [("Markup", '<img src="a.png"\n')]),
    ],
    ids=["quoted", "quote-in-name", "comment", "short-comments", "bogus", "lt",
         "unterminated"],
)  # fmt: skip
def test_tokens_end_where_the_standard_ends_them(html, tokens):
    assert read(html) == tokens


def test_attributes_are_read_lowercase_first_of_a_name_kept():
    (tag,) = Tokenizer().tokens("<IMG Alt='a' alt=b SRC=/x.png/>")

    assert tag == Tag("img", False, (("alt", "a"), ("src", "/x.png/")), False, 0, 31)


def test_raw_text_runs_to_its_own_end_tag_and_on_into_the_next_piece():
    tokenizer = Tokenizer("style")
    first = list(tokenizer.tokens("p > a { } <b>"))
    second = list(tokenizer.tokens("x</STYLE >y"))

    assert first == [Markup(0, 13, raw_text="style")]
    end_tag = Tag("style", True, (), False, 1, 10)
    assert second == [Markup(0, 1, raw_text="style"), end_tag, Text("y", 10, 11)]
    assert tokenizer.raw_text == ""


_TAG_TEXT = st.lists(
    st.sampled_from(["a", "B", "=", '"', "'", " ", "\n", "/", ">", "<", "x1", "-",
                     "`", "&amp;", "é"]),
    max_size=16,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(closing=st.booleans(), name=st.sampled_from(["div", "A", "p-x"]), rest=_TAG_TEXT)
def test_the_quick_match_reads_a_tag_as_the_walk_of_the_states_does(
    closing, name, rest
):
    html = f"<{'/' if closing else ''}{name}{rest}"

    assert html_tokens._tag(html, 0) == html_tokens._walked_tag(html, 0)
