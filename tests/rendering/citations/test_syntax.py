"""Citation syntax: clusters, narrative citations, what is not one, in linear time.

Expected strings are derived from the CSL rules of each shipped style (name
forms, delimiters, locator terms, "Ibid." positions), not copied from output.
"""

from __future__ import annotations

import pytest

from broadsheet.rendering import render
from tests.rendering.citations.conftest import APA, WORKS, citation_texts

SYNTAX = [
    ("[@marlow1998]", "(Marlow, 1998)"),
    ("[@marlow1998, p. 43]", "(Marlow, 1998, p. 43)"),
    (
        "[@marlow1998, pp. 30-31; @quill2004]",
        "(Marlow, 1998, pp. 30–31; Quill &amp; Fenn, 2004)",
    ),
    ("[see @marlow1998, chap. 2]", "(see Marlow, 1998, Chapter 2)"),
    ("[-@marlow1998]", "(1998)"),
    ("@marlow1998 says", "Marlow (1998)"),
    ("@quill2004 [p. 210] says", "Quill &amp; Fenn (2004, p. 210)"),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    SYNTAX,
    ids=["bare", "page", "pages-and-second", "prefix-chapter", "suppress", "narrative",
         "narrative-locator"],
)  # fmt: skip
def test_render_formats_every_pandoc_citation_form(source, expected):
    doc = render(f"Text {source} here.\n", works=WORKS, style=APA)

    assert doc.problems == ()
    assert citation_texts(doc.html) == [expected]


def test_email_addresses_and_escaped_at_signs_are_not_citations():
    doc = render("Write to ink@example.com or \\@marlow1998.\n", works=WORKS, style=APA)

    assert doc.problems == ()
    assert doc.citations == ()


def test_an_at_sign_inside_an_autolink_is_part_of_its_address():
    doc = render(
        "See <https://example.org/(1998)@marlow1998/> there.\n", works=WORKS, style=APA
    )

    assert doc.problems == ()
    assert doc.citations == ()
    assert 'href="https://example.org/(1998)@marlow1998/"' in doc.html


def test_bracket_never_closed_before_many_keys_is_read_in_linear_time(
    render_bounded, render_growth
):
    # Each "[" once tried every later "@" as a cluster's first key, scanning to
    # the end of the text from each of them.
    def unclosed_before_keys(count: int) -> str:
        return "[" + " @nobody" * count + "\n"

    growth = render_growth(unclosed_before_keys, 5_000, works=WORKS, style=APA)
    assert growth < 10  # about 4 when linear, 16 when quadratic
    doc = render_bounded(
        unclosed_before_keys(20_000), works=WORKS, style=APA, seconds=60
    )

    assert len(doc.problems) == 20_001
    assert {(p.code, p.line) for p in doc.problems} == {
        ("unclosed-citation", 1),
        ("unknown-citation", 1),
    }


def test_many_clusters_beside_narrative_citations_are_matched_in_linear_time(
    render_bounded, render_growth
):
    def beside(count: int) -> str:
        return "[@nobody] @ghost " * count + "\n"

    assert render_growth(beside, 2_500, works=WORKS, style=APA) < 10
    doc = render_bounded(beside(10_000), works=WORKS, style=APA, seconds=60)

    assert len(doc.problems) == 20_000
    assert citation_texts(doc.html)[:3] == ["[@nobody]", "@ghost", "[@nobody]"]


def test_citation_without_its_closing_bracket_is_a_problem_on_its_line():
    doc = render(
        "Intro.\n\nSee [@marlow1998, p. 4 and so on.\n", works=WORKS, style=APA
    )

    assert [(p.line, p.code) for p in doc.problems] == [(3, "unclosed-citation")]
    assert "[@marlow1998, p. 4 and so on." in doc.problems[0].message
