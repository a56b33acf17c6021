"""Nothing typed vanishes: text the sanitiser would drop is a problem on its line."""

import pytest

from broadsheet.rendering import render


@pytest.mark.parametrize(
    ("source", "line", "text", "inside"),
    [
        ("Intro.\n\nBefore <select> chosen words.\n", 3, "chosen words.",
         "<select> (line 3)"),
        ("<table><style>\n\nAfter the table.\n", 3, "After the table.",
         "<style> (line 1)"),
        ("Lead <math><mi><style> hidden.\n", 1, "hidden.", "<math> (line 1)"),
    ],
    ids=["after-unclosed-select", "style-in-table",
         "style-in-math"],
)  # fmt: skip
def test_text_swallowed_by_raw_html_is_a_problem_naming_the_element(
    source, line, text, inside
):
    doc = render(source)

    vanished = [p for p in doc.problems if p.code == "text-vanished"]
    assert [p.line for p in vanished] == [line]
    assert f"\u201c{text}\u201d is missing from the page" in vanished[0].message
    assert f"inside {inside}" in vanished[0].message


def test_text_inside_a_closed_removed_element_is_a_warning_not_an_error():
    doc = render("Intro.\n\n<iframe>\n\nTyped inside.\n\n</iframe>\n\nAfter.\n")

    assert [(p.line, p.code, p.severity) for p in doc.problems] == [
        (3, "html-removed", "warning")
    ]
    assert "removed with everything inside it" in doc.problems[0].message


def test_text_swallowed_inside_a_note_is_a_problem_too():
    doc = render("Body.[^a]\n\n[^a]: Shown <select> swallowed words.\n")

    vanished = [p for p in doc.problems if p.code == "text-vanished"]
    assert [p.line for p in vanished] == [3]
    assert "swallowed words." in vanished[0].message


@pytest.mark.parametrize(
    "source",
    [
        "Pick <select><option>red</option></select> now.\n\nThe red ink dried.\n",
        "A sum <math><mi>x</mi></math> here.\n\nNext, the text goes on.\n",
    ],
    ids=["option-word-repeated", "math-letter-repeated"],
)
def test_removed_text_found_again_later_does_not_hide_the_text_between(source):
    # The removed word also occurs further on: the search for the page's text
    # must not jump to it and then miss what lies between.
    assert render(source).errors == ()


@pytest.mark.parametrize(
    "source",
    [
        "Plain *emphasis*, `code`, [a link](https://example.com) & AT&amp;T.\n",
        '| a | b |\n| - | - |\n| "quoted" | it\'s -- dashed |\n',
        "<details><summary>More</summary>\n\nHidden until opened.\n\n</details>\n",
        '![alt text only](a.png) and <span title="a>b">kept</span>.\n',
        "<table>\n\nStray text the parser moves.\n\n</table>\n\nAfter.\n",
    ],
    ids=["inline-markup", "table-typography", "details", "image-alt", "foster"],
)
def test_text_that_reaches_the_page_is_not_reported(source):
    assert render(source).problems == ()
