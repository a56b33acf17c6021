"""Raw HTML: nesting kept within a depth the sanitiser parses in linear time."""

import pytest
from bs4 import BeautifulSoup

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
