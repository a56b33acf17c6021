"""Citation resolution: every problem has its code, line and key."""

from __future__ import annotations

import pytest

from broadsheet.rendering import render
from tests.rendering.citations.conftest import APA, WORKS


@pytest.mark.parametrize(
    ("source", "code", "line", "key"),
    [
        ("Intro.\n\nSee [@nobody, p. 3].\n", "unknown-citation", 3, "@nobody"),
        ("Intro.\n\nAs @ghost argues.\n", "unknown-citation", 3, "@ghost"),
        ("A.\nAt [@marlow1998, p. 31-30].\n", "malformed-locator", 2, "@marlow1998"),
        ("See [@marlow1998, pp. ].\n", "malformed-locator", 1, "@marlow1998"),
        ("Old [@undated].\n", "incomplete-work", 1, "@undated"),
        ("Old [@untitled].\n", "incomplete-work", 1, "@untitled"),
    ],
    ids=["unknown", "unknown-narrative", "descending-range", "empty-locator",
         "no-date-for-author-date", "no-title"],
)  # fmt: skip
def test_citation_problems_have_codes_lines_and_keys(source, code, line, key):
    doc = render(source, works=WORKS, style=APA)

    assert [(p.code, p.line) for p in doc.problems] == [(code, line)]
    assert key in doc.problems[0].message
