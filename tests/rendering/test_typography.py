"""Titles get the same typographer as bodies, and stay plain text."""

import pytest

from broadsheet.rendering import typeset


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The compositor's case", "The compositor\u2019s case"),
        ('On "habit"', "On \u201chabit\u201d"),
        ("1450--1500", "1450\u20131500"),
        ("Type --- and ink", "Type \u2014 and ink"),
        ("*not* <b>markup</b>", "*not* <b>markup</b>"),
    ],
    ids=["apostrophe", "double-quotes", "en-dash", "em-dash", "no-markdown-no-html"],
)
def test_typeset_curls_quotes_and_sets_dashes_in_plain_text(text, expected):
    assert typeset(text) == expected
