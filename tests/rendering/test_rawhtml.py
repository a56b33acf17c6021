"""Raw HTML: nesting kept within a depth the sanitiser parses in linear time."""

from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.rendering import render
from broadsheet.rendering.rawhtml import MAX_DEPTH


def test_raw_html_nested_past_the_limit_is_a_problem_on_its_line(render_bounded):
    # 100,000 nested <div> (1.1 MB) once took 48 s in the sanitiser's parser.
    source = "Intro.\n\n" + "<div>\n" * 100_000 + "deep text\n" + "</div>\n" * 100_000

    doc = render_bounded(source, seconds=20)

    assert [(p.line, p.code) for p in doc.problems] == [
        (3 + MAX_DEPTH, "html-too-deep")
    ]
    assert f"more than {MAX_DEPTH} elements deep" in doc.problems[0].message
    # Nothing vanishes: the markup too deep to keep is shown as text.
    assert "deep text" in BeautifulSoup(doc.html, "html.parser").get_text()


def test_inline_raw_html_nested_past_the_limit_is_a_problem(render_bounded):
    source = "One.\n\nIntro " + "<span>" * 100_000 + "deep text\n"

    doc = render_bounded(source, seconds=20)

    assert [(p.line, p.code) for p in doc.problems] == [(3, "html-too-deep")]
    assert "deep text" in BeautifulSoup(doc.html, "html.parser").get_text()


def test_raw_html_within_the_limit_renders_as_html():
    source = "<div>" * 30 + "text" + "</div>" * 30 + "\n\nAfter.\n"

    doc = render(source)

    assert doc.problems == ()
    soup = BeautifulSoup(doc.html, "html.parser")
    assert len(soup.find_all("div")) == 30
    assert soup.find_all("p")[-1].get_text() == "After."


def test_many_closed_elements_in_a_row_do_not_add_up_to_depth():
    source = "<div><p>Cell</div>\n" * 500 + "<ul><li>one<li>two</ul>\n" * 500

    doc = render(source)

    assert doc.problems == ()
    assert len(BeautifulSoup(doc.html, "html.parser").find_all("div")) == 500


def test_list_items_left_open_close_one_another_as_in_a_browser():
    items = "<li>an item\n" * (3 * MAX_DEPTH)
    terms = "<dt>a term<dd>its meaning\n" * (3 * MAX_DEPTH)
    source = f"<ul>\n{items}</ul>\n\n<dl>\n{terms}</dl>\n\nAfter.\n"

    doc = render(source)

    assert doc.problems == ()
    soup = BeautifulSoup(doc.html, "html.parser")
    assert len(soup.find_all("li")) == 3 * MAX_DEPTH and not soup.li.li


def test_tags_inside_a_script_are_not_counted_as_nesting():
    source = "<script>" + "<div>" * (MAX_DEPTH + 5) + "</script>\n\nAfter.\n"

    doc = render(source)

    assert doc.errors == ()
    assert doc.html.endswith("<p>After.</p>\n")


@pytest.mark.parametrize(
    ("source", "element", "line"),
    [
        ("Before.\n\n<select>\n\nAfter text.\n\n## Heading\n", "select", 3),
        ("Before.\n\n<textarea>\n\nAfter text.\n", "textarea", 3),
        ("Before.\n\n<script>\n\nAfter text.\n", "script", 3),
        ("A.\n\nInline <textarea> words.\n\nAfter text.\n", "textarea", 3),
        ("<table><style>\n\nAfter text.\n", "style", 1),
        ("Before <math><mi>x</mi>.\n\nAfter.\n", "math", 1),
    ],
    ids=["select", "textarea", "script", "inline-textarea", "style-in-table", "math"],
)
def test_element_never_closed_that_swallows_text_is_a_problem_on_its_line(
    source, element, line
):
    doc = render(source)

    unclosed = [p for p in doc.problems if p.code == "unclosed-html"]
    assert [(p.line, p.code) for p in unclosed] == [(line, "unclosed-html")]
    assert f"<{element}> is never closed" in unclosed[0].message
    assert f"</{element}>" in unclosed[0].message


@pytest.mark.parametrize(
    ("opening", "terminator"),
    [("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">")],
    ids=["comment", "processing-instruction", "cdata", "declaration"],
)
def test_comment_or_declaration_never_closed_is_a_problem_on_its_line(
    opening, terminator
):
    # markdown-it ends such a block only at its terminator: left open, it runs
    # to the end of the text, which the sanitiser then drops without a trace.
    source = f"Before.\n\n{opening}DOCTYPE an aside\n\nAfter text.\n\nThe end.\n"

    doc = render(source)

    assert [(p.line, p.code) for p in doc.errors] == [(3, "unclosed-html")]
    assert f"{opening} is never closed" in doc.errors[0].message
    assert f"add {terminator}" in doc.errors[0].message


@pytest.mark.parametrize(
    "source",
    [
        "<!-- a note to editors -->\n\nAfter.\n",
        "<!-->\n\nAfter.\n",
        "<?php echo 1; ?>\n\nAfter.\n",
        "<![CDATA[ x ]]>\n\nAfter.\n",
        "<!DOCTYPE html>\n\nAfter.\n",
        '<embed src="https://example.org/a.svg">\n\nAfter.\n',
        'Inline <embed src="https://example.org/a.svg"> and after.\n',
    ],
    ids=["comment", "empty-comment", "pi", "cdata", "doctype", "embed", "inline-embed"],
)
def test_closed_comments_and_void_elements_are_not_reported_as_unclosed(source):
    doc = render(source)

    assert doc.errors == ()
    assert "After" in doc.html or "after" in doc.html


def test_closed_elements_are_not_reported_as_unclosed():
    source = "<select><option>A</option></select>\n\n<script>x()</script>\n\nText.\n"

    doc = render(source)

    assert "unclosed-html" not in {p.code for p in doc.problems}


@pytest.mark.parametrize(
    ("source", "element", "what"),
    [
        ('<iframe src="https://example.com/map"></iframe>\n', "iframe",
         "removed with everything inside it"),
        ("Some <font color=red>red</font> text.\n", "font",
         "removed (the text inside it is kept)"),
        ("<form><input name=q></form>\n", "form", "removed (the text"),
    ],
    ids=["iframe", "font", "form"],
)  # fmt: skip
def test_html_the_sanitiser_removes_is_a_warning_naming_it(source, element, what):
    doc = render("Intro.\n\n" + source)

    assert [(p.line, p.code, p.severity) for p in doc.problems][:1] == [
        (3, "html-removed", "warning")
    ]
    assert f"<{element}> is not allowed on pages and is {what}" in str(doc.problems[0])
    assert doc.errors == ()


@pytest.mark.parametrize(
    "source",
    ["Before <svg><script/></svg> after.\n", "<math><style/></math>\n\nAfter.\n"],
    ids=["svg-script", "math-style"],
)
def test_a_self_closed_element_in_svg_or_math_is_closed(source):
    # There "/>" closes the element, as the HTML parser reads it: the text after
    # it is kept, and nothing is reported as never closed.
    doc = render(source)

    assert not [p for p in doc.problems if p.code == "unclosed-html"]
    assert "After" in doc.html or "after." in doc.html


def test_a_self_closed_script_outside_svg_still_swallows_the_text():
    # In HTML the slash means nothing: the rest would be read as script.
    doc = render("Before <script/> words.\n\nAfter text.\n")

    unclosed = [p for p in doc.problems if p.code == "unclosed-html"]
    assert [(p.line, p.code) for p in unclosed] == [(1, "unclosed-html")]


class _Depth(HTMLParser):
    """The deepest nesting in serialised HTML (the sanitiser closes every element)."""

    VOID = {"br", "col", "hr", "img", "wbr", "input", "source", "embed", "area"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth -= 1


def parsed_depth(html: str) -> int:
    """How deep the sanitiser's parser nested the page's elements."""
    counter = _Depth()
    counter.feed(html)
    return counter.deepest


# Each once let 20,000 repeats through the depth check, and the parser behind
# the sanitiser then took 1.5 to 6 s of a worker (quadratic: 100,000 ~ 40 s+).
HIDDEN_NESTING = {
    "lt-in-a-quoted-value": '<div title="<">',
    "end-tag-in-a-quoted-value": '<div><div title="</div>">',
    "end-tag-in-a-comment": "<div><!--</div>-->",
    "slash-means-nothing-in-html": "<div/>",
    "style-in-svg-is-not-raw-text": "<svg><style></svg><div>",
    "self-closed-in-html-after-svg": "<svg></svg><div/>",
    "end-tag-of-a-misnested-formatting-element": "<em><div></em>",
    "end-tag-stopped-by-a-block": "<span><div></span>",
    "heading-end-tag-closes-the-nearest-heading": "<h2><span><h3></h2>",
    "list-items-nest-inside-blocks": "<span><li></span><span><dd></span>",
}


@pytest.mark.parametrize("motif", HIDDEN_NESTING.values(), ids=HIDDEN_NESTING.keys())
def test_nesting_hidden_from_a_naive_count_is_caught_in_linear_time(
    motif, render_growth, render_bounded
):
    def source(repeats: int) -> str:
        return "Intro.\n\n" + motif * repeats + "\n\nAfter.\n"

    assert render_growth(source, 2_000) < 10  # about 4 when linear, 16 quadratic
    doc = render_bounded(source(20_000), seconds=30)

    assert parsed_depth(doc.html) <= 4 * MAX_DEPTH
    assert "html-too-deep" in {p.code for p in doc.problems}


def test_a_tag_inside_a_quoted_attribute_value_is_text_not_a_tag():
    # Once reported "<svg> is never closed", which refused the publish.
    source = (
        'Before.\n\n<img alt="a <svg> b" src="/x.png">\n\n'
        '<span title="<math>">M</span> after.\n'
    )

    doc = render(source)

    assert doc.problems == ()
    soup = BeautifulSoup(doc.html, "html.parser")
    assert soup.img["alt"] == "a <svg> b" and soup.span["title"] == "<math>"


def test_an_element_removed_with_its_content_takes_the_markdown_between_its_tags():
    doc = render("Keep <object>drop *this* too</object> and this.\n\nAfter.\n")

    text = BeautifulSoup(doc.html, "html.parser").get_text()
    assert "drop" not in text and "this too" not in text
    assert "Keep" in text and "and this." in text and "After." in text
    assert [p.code for p in doc.problems] == ["html-removed"]


def test_a_tag_the_block_ends_inside_is_shown_as_text_and_reported():
    # The parser would read the Markdown after it as the tag's attributes.
    doc = render(
        '<div><img src="a.png"\n\nThe caption, kept.\n\n<p class="x">After.</p>\n'
    )

    assert [(p.line, p.code) for p in doc.errors] == [(1, "unclosed-html")]
    assert "no closing" in doc.errors[0].message
    text = BeautifulSoup(doc.html, "html.parser").get_text()
    assert '<img src="a.png"' in text and "The caption, kept." in text


_PIECES = st.sampled_from(
    [
        "<div>", "</div>", "<span>", "</span>", "<em>", "</em>", "<strong>",
        "</strong>", "<a href=x>", "</a>", "<p>", "</p>", "<li>", "</li>", "<ul>",
        "</ul>", "<dd>", "<dl>", "</dl>", "<h2>", "</h2>", "<h3>", "<section>",
        "</section>", "<summary>", "<table>", "</table>", "<tr>", "<td>", "</td>",
        "<blockquote>", "</blockquote>", "<svg>", "</svg>", "<math>", "<style>",
        "</style>", "<script>", "</script>", "<!--", "-->", "<b>", "</b>", '"',
        "'", "=", " ", "<div title=", ">", "/>", "text", "\n", "\n\n", "*", "> ",
        "- ", "<details>", "<pre>", "</pre>", "<small>", "<code>", "</code>",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(motif=st.lists(_PIECES, min_size=1, max_size=10))
def test_the_parser_never_nests_raw_html_deeper_than_it_was_counted(motif):
    # A motif repeated 600 times: one that hid a level from the count would
    # nest past the bound below without a problem saying so.
    doc = render("".join(motif) * 600 + "\n")

    if "html-too-deep" not in {p.code for p in doc.problems}:
        assert parsed_depth(doc.html + doc.notes_html) <= 4 * MAX_DEPTH + 20
