"""The Markdown dialect: typography, GFM tables and strikethrough, heading ids."""

import random
import string

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from broadsheet.demo.corpus import build_demo_site
from broadsheet.rendering import render
from broadsheet.rendering.markdown import (
    INLINE_RULE_CHARACTERS,
    MAX_NESTING,
    md,
    slugify,
)


def soup(html):
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('He said "hello".', "He said “hello”."),
        ("It's Aldus' 'octavo'.", "It’s Aldus’ ‘octavo’."),
        ("pages 10--20", "pages 10–20"),
        ("books---cheap ones", "books—cheap ones"),
        ("Wait...", "Wait…"),
    ],
    ids=["double-quotes", "single-quotes", "en-dash", "em-dash", "ellipsis"],
)
def test_render_applies_typography_to_prose(source, expected):
    assert soup(render(source).html).p.get_text() == expected


@pytest.mark.parametrize(
    ("source", "selector", "expected"),
    [
        ('Use `"a" -- b --- c`.', "code", '"a" -- b --- c'),
        ('```\nx = "a" -- b\n```\n', "pre > code", 'x = "a" -- b\n'),
        ("    it's -- raw\n", "pre > code", "it's -- raw\n"),
    ],
    ids=["code-span", "fenced-code", "indented-code"],
)
def test_render_leaves_code_untouched_by_typography(source, selector, expected):
    assert soup(render(source).html).select_one(selector).get_text() == expected


def test_render_supports_gfm_tables_and_strikethrough():
    html = render("| Year | Press |\n|---|---|\n| 1501 | ~~Aldine~~ |\n").html

    tree = soup(html)
    assert [th.get_text() for th in tree.select("thead th")] == ["Year", "Press"]
    assert tree.select_one("tbody td s").get_text() == "Aldine"


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_render_treats_windows_and_old_mac_line_ends_as_newlines(line_end):
    source = "## Type\n\nA *line*\nwith a note.[^1]\n\n[^1]: Its body.\n"

    expected = render(source)

    assert render(source.replace("\n", line_end)) == expected


def test_render_replaces_nul_characters_as_commonmark_requires():
    assert soup(render("lead\0type").html).p.get_text() == "lead\ufffdtype"


def test_render_passes_benign_raw_html_through():
    html = render(
        '<figure><img src="/a.jpg" alt="A"><figcaption>A</figcaption></figure>'
    ).html

    assert soup(html).select_one("figure > figcaption").get_text() == "A"


def test_render_gives_headings_ids_unique_within_the_document():
    doc = render(
        "# Printing in Venice\n\n## Printing in Venice\n\n### Printing in Venice\n"
    )

    ids = [h["id"] for h in soup(doc.html).find_all(["h1", "h2", "h3"])]
    assert ids == [
        "printing-in-venice",
        "printing-in-venice-2",
        "printing-in-venice-3",
    ]


def test_render_keeps_heading_ids_unique_when_a_slug_looks_like_a_suffixed_one():
    doc = render("## Venice 2\n\n## Venice\n\n## Venice\n")

    ids = [h["id"] for h in soup(doc.html).find_all("h2")]
    assert len(set(ids)) == 3


@pytest.mark.parametrize(
    "title", ["Note 1", "Noteref 2", "Notes heading"], ids=["note", "noteref", "notes"]
)
def test_render_keeps_heading_ids_clear_of_note_ids(title):
    doc = render(f"Text[^a].\n\n## {title}\n\n[^a]: A.\n")

    ids = [tag["id"] for tag in soup(doc.html + doc.notes_html).select("[id]")]
    assert len(ids) == len(set(ids))
    assert soup(doc.html).h2["id"].endswith("-section")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Printing in Venice", "printing-in-venice"),
        ("“Quoted” words—and dashes", "quoted-wordsand-dashes"),
        ("Über Drucker", "über-drucker"),
        ("  spaced   out  ", "spaced-out"),
        ("?!", "section"),
    ],
    ids=["plain", "punctuation", "non-latin", "whitespace", "empty"],
)
def test_slugify_makes_github_style_ids(text, expected):
    assert slugify(text) == expected


def test_every_enabled_inline_rule_declares_the_characters_it_starts_at():
    enabled = set(md.inline.ruler.get_active_rules()) - {"text"}

    assert enabled == set(INLINE_RULE_CHARACTERS)


def _punctuation_sources(count: int) -> list[str]:
    # Short random runs of letters, spaces, newlines and every ASCII punctuation
    # mark, plus the constructs the terminators exist for, fixed by a seed.
    rng = random.Random(5)
    alphabet = string.punctuation + "ab  \n" + "’“"
    pieces = [
        "[^1]", "^[inline]", "[link](/a)", "![alt](/i.png)", "<https://x.org>",
        "<em>x</em>", "&amp;", "&#35;", "~~gone~~", "*em*", "__strong__", "`code`",
        "[@marlow1998, p. 4]", "a--b", "a---b", "x:y", "1+1=2", "#tag", "$5", "50%",
        "{braces}", "user@example.org", "> quote", "\\[^1]",
    ]  # fmt: skip
    sources = []
    for _ in range(count):
        parts = [
            rng.choice(pieces) if rng.random() < 0.3 else rng.choice(alphabet)
            for _ in range(rng.randint(1, 40))
        ]
        sources.append("".join(parts) + "\n\n[^1]: A note.\n")
    return sources


def test_render_is_unchanged_by_the_narrower_text_rule(monkeypatch):
    sources = [a.body_markdown for a in build_demo_site().articles]
    sources += _punctuation_sources(400)
    ours = [render(source) for source in sources]

    monkeypatch.setattr(md.inline, "terminator_re", MarkdownIt().inline.terminator_re)

    assert [render(source) for source in sources] == ours


def test_list_nested_ten_levels_deep_keeps_everything_after_it():
    # The CommonMark preset's nesting limit (20 levels, two per list) once
    # dropped the innermost item and every heading and paragraph after it.
    nested = "".join("  " * level + f"- level {level}\n" for level in range(12))

    doc = render(nested + "\n## Heading after\n\nParagraph after.\n")

    assert doc.problems == ()
    assert "level 11" in doc.html
    assert [h.text for h in doc.toc] == ["Heading after"]
    assert doc.html.endswith("<p>Paragraph after.</p>\n")


def test_blockquotes_nested_past_twenty_levels_keep_the_innermost_text():
    doc = render(">" * 25 + " innermost words\n\nAfter.\n")

    assert doc.problems == ()
    assert doc.html.count("<blockquote>") == 25
    assert "innermost words" in doc.html


def test_nesting_past_the_parsers_limit_is_a_problem_on_the_first_lost_line():
    source = "Intro.\n\n" + ">" * (MAX_NESTING + 5) + " lost words\n\nAfter.\n"

    doc = render(source)

    assert [(p.line, p.code) for p in doc.problems] == [(3, "nesting-too-deep")]
    assert f"more than {MAX_NESTING} levels" in doc.problems[0].message
