"""Property-based tests of rendering (hypothesis): whatever a writer types, the
render does not crash, its HTML is already what the sanitiser would make of it,
notes link both ways, and no word vanishes from the page without a problem.

Documents are drawn from a grammar of what writers type (paragraphs, headings,
nested lists and quotes, notes, code, raw HTML, some of it hostile) with words
that are unique tokens, so a word missing from the page can be told. Speed is not
asserted here: linear time is shown by the render-scaling benchmark.
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.rendering import render, sanitize

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,  # no timing in tests
    suppress_health_check=[HealthCheck.too_slow],
)
# Elements whose content a page never shows: removing them is a reported problem
# ("removed with everything inside it"), so their words are not expected.
HIDDEN = ("script", "style", "iframe", "template", "textarea", "select", "object")
SCRIPT_URL = re.compile(
    r'<[^<>]*\s(?:href|src)="\s*(?:javascript|data|vbscript):', re.I
)
TAG = re.compile(r"<[^<>]*>")  # output HTML only: the sanitiser's, no user text


@st.composite
def word(draw) -> str:
    return f"w{draw(st.integers(min_value=0, max_value=10**6))}x"


@st.composite
def inline(draw, notes: list[str]) -> str:
    """A run of inline text: plain words, emphasis, code, links, note references,
    inline HTML (allowed, removed or hostile)."""
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        w = draw(word())
        kind = draw(
            st.sampled_from(
                ["plain", "em", "strong", "code", "link", "note", "html", "hostile"]
            )
        )
        if kind == "em":
            parts.append(f"*{w}*")
        elif kind == "strong":
            parts.append(f"**{w}**")
        elif kind == "code":
            parts.append(f"`{w}`")
        elif kind == "link":
            scheme = draw(st.sampled_from(["https://example.com/", "javascript:", "/"]))
            parts.append(f"[{w}]({scheme}{w})")
        elif kind == "note":
            label = draw(st.sampled_from(["a", "b", "c", "d"]))
            notes.append(label)
            parts.append(f"{w}[^{label}]")
        elif kind == "html":
            tag = draw(st.sampled_from(["em", "span", "b", "sup", "abbr"]))
            parts.append(f"<{tag}>{w}</{tag}>")
        else:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            f'<img src=x onerror="alert(1)">{w}',
                            f'<a href="javascript:alert(1)">{w}</a>',
                            f"<svg onload=alert(1)>{w}</svg>",
                            f"{w} <script>alert(1)</script>",
                            f"{w} {{{{ settings.SECRET_KEY }}}}",
                        ]
                    )
                )
            )
    return " ".join(parts)


@st.composite
def block(draw, notes: list[str], depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(
            ["paragraph", "heading", "list", "quote", "code", "div", "unclosed"]
            if depth < 3
            else ["paragraph", "heading", "code"]
        )
    )
    text = draw(inline(notes))
    if kind == "heading":
        return "#" * draw(st.integers(min_value=2, max_value=4)) + " " + text
    if kind == "list":
        items = draw(st.lists(inline(notes), min_size=1, max_size=3))
        marker = draw(st.sampled_from(["- ", "1. "]))
        inner = "\n".join(marker + item for item in items)
        if draw(st.booleans()):
            nested = draw(block(notes, depth + 1))
            inner += "\n" + "\n".join("   " + line for line in nested.splitlines())
        return inner
    if kind == "quote":
        nested = draw(block(notes, depth + 1))
        return "\n".join("> " + line for line in (text + "\n\n" + nested).splitlines())
    if kind == "code":
        return f"```\n{text}\n```"
    if kind == "div":
        return f"<div>\n\n{text}\n\n</div>"
    if kind == "unclosed":
        tag = draw(st.sampled_from(["select", "textarea", "table", "details", "math"]))
        return f"<{tag}>\n\n{text}"
    return text


@st.composite
def document(draw) -> str:
    notes: list[str] = []
    blocks = draw(st.lists(block(notes), min_size=1, max_size=6))
    definitions = [
        f"[^{label}]: {draw(inline([]))}"
        for label in sorted(set(notes))
        if draw(st.integers(min_value=0, max_value=9)) > 0  # sometimes missing
    ]
    return "\n\n".join(blocks + definitions) + "\n"


def visible_text(fragment: str) -> str:
    return html.unescape(TAG.sub(" ", fragment))


@PROPERTY_SETTINGS
@given(st.text(max_size=400))
def test_any_text_renders_to_html_the_sanitiser_leaves_unchanged(source):
    doc = render(source)

    assert sanitize.clean(doc.html) == doc.html
    assert sanitize.clean(doc.notes_html) == doc.notes_html


@PROPERTY_SETTINGS
@given(document())
def test_written_documents_render_to_sanitised_html(source):
    doc = render(source)

    assert sanitize.clean(doc.html) == doc.html
    assert sanitize.clean(doc.notes_html) == doc.notes_html
    page = doc.html + doc.notes_html
    assert not SCRIPT_URL.search(page), SCRIPT_URL.search(page)
    assert not re.search(r"<[^>]+\son\w+=", page)  # no event-handler attributes
    assert "<script" not in page and "<svg" not in page


@PROPERTY_SETTINGS
@given(document())
def test_every_note_reference_and_note_link_to_each_other(source):
    doc = render(source)
    page = doc.html + doc.notes_html
    if doc.errors:
        return  # e.g. a reference swallowed by unclosed HTML: it cannot publish

    for target in re.findall(r'href="#(note-\d+)"', doc.html):
        assert f'id="{target}"' in doc.notes_html, target
    for back in re.findall(r'href="#(noteref-[\d-]+)"', doc.notes_html):
        assert f'id="{back}"' in page, back
    assert len(doc.notes) == doc.notes_html.count('class="note"')


@PROPERTY_SETTINGS
@given(document())
def test_no_word_vanishes_without_a_problem(source):
    doc = render(source)
    shown = set(visible_text(doc.html + doc.notes_html).split())
    expected = set(re.findall(r"w\d+x", _without_hidden_elements(source)))

    missing = sorted(expected - {w for s in shown for w in re.findall(r"w\d+x", s)})

    if missing:
        assert doc.problems, f"{missing} vanished from the page with no problem"


@PROPERTY_SETTINGS
@given(document())
def test_rendering_is_deterministic(source):
    assert render(source) == render(source)


def _without_hidden_elements(source: str) -> str:
    """The source minus the content of elements a page never shows (test input
    only: our own generated documents, so a simple scan is fine)."""
    for tag in HIDDEN:
        source = re.sub(rf"<{tag}[^>]*>.*?(</{tag}>|$)", " ", source, flags=re.S)
    return source
