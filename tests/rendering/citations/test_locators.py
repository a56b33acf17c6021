"""Citation locators: Pandoc's labels, malformed and stray locators, in linear time."""

from __future__ import annotations

import pytest

from broadsheet.rendering import citations, render
from tests.rendering.citations.conftest import APA, WORKS, citation_texts


def test_parse_locator_reads_pandoc_labels():
    assert citations.parse_locator(", p. 43") == ("page", "43", True)
    assert citations.parse_locator(", pp. 30-31") == ("page", "30-31", True)
    assert citations.parse_locator(", chap. iv") == ("chapter", "iv", True)
    assert citations.parse_locator(", 12") == ("page", "12", True)
    assert citations.parse_locator(", p. forty")[2] is False


@pytest.mark.parametrize("repetitions", [24, 48, 5000])
def test_locator_that_almost_parses_is_reported_without_backtracking(
    render_bounded, repetitions
):
    # Each "and1" could be a separator plus a page or part of one page name:
    # a backtracking pattern tried 4.5 times as many splits per two repetitions.
    cluster = "[@marlow1998, 1" + "and1" * repetitions + "!]"

    doc = render_bounded(f"Claim {cluster}.\n", works=WORKS, style=APA, seconds=10)

    assert [(p.code, p.line) for p in doc.problems] == [("malformed-locator", 1)]
    assert citation_texts(doc.html) == [cluster]


@pytest.mark.parametrize("suffix", ["zz", "pg4", "xx."])
def test_one_word_that_is_no_locator_is_a_problem(suffix):
    doc = render(f"See [@marlow1998, {suffix}].\n", works=WORKS, style=APA)

    assert [(p.line, p.code) for p in doc.problems] == [(1, "not-a-locator")]
    assert f"\u201c{suffix}\u201d where a locator goes" in doc.problems[0].message


@pytest.mark.parametrize("suffix", ["emphasis added", "passim", "iv", "p. 4"])
def test_suffixes_pandoc_accepts_are_not_problems(suffix):
    doc = render(f"See [@marlow1998, {suffix}].\n", works=WORKS, style=APA)

    assert doc.problems == ()
