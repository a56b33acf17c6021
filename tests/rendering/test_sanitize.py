"""Sanitising: hostile HTML and URLs never survive; ordinary prose markup does."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.rendering import render
from broadsheet.rendering.sanitize import clean

XSS_VECTORS = [
    ("<script>alert(1)</script>\n\nText.", "script"),
    ("<SCRIPT>alert(1)</SCRIPT>\n\nText.", "script-uppercase"),
    ('Text <img src="x.png" onerror="alert(1)">', "img-onerror"),
    ('<p onclick="alert(1)" onmouseover="alert(2)">Text</p>', "event-handlers"),
    ('<a href="javascript:alert(1)">x</a>', "raw-javascript-url"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "mixed-case-javascript-url"),
    ('<a href="  javascript:alert(1)">x</a>', "leading-space-javascript-url"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "tab-entity-javascript-url"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "entity-encoded-javascript-url"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript-url"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data-url"),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', "data-image-url"),
    ("[x](javascript:alert(1))", "markdown-javascript-link"),
    ("[x](JaVaScRiPt:alert(1))", "markdown-mixed-case-link"),
    ("![x](javascript:alert(1))", "markdown-javascript-image"),
    ("<javascript:alert(1)>", "autolink-javascript"),
    ('<iframe src="https://evil.example"></iframe>\n\nText.', "iframe"),
    ("<style>body { display: none }</style>\n\nText.", "style"),
    ('<p style="background:url(javascript:alert(1))">Text</p>', "style-attribute"),
    ("<svg onload=alert(1)><circle/></svg>", "svg-onload"),
    ('<object data="evil.swf"></object>', "object"),
    ('<form action="https://evil.example"><input name="q"></form>', "form"),
    ('<base href="https://evil.example/">', "base"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "meta"),
]


def _hostile_parts(html):
    tree = BeautifulSoup(html, "html.parser")
    found = [
        tag.name
        for tag in tree.find_all(
            ["script", "style", "iframe", "svg", "object", "form", "base", "meta"]
        )
    ]
    for tag in tree.find_all(True):
        for name, value in tag.attrs.items():
            if name.startswith("on") or name == "style" and "url" in value:
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src") and ":" in value.split("/")[0]:
                scheme = value.split(":")[0].strip().lower()
                if scheme not in ("http", "https", "mailto"):
                    found.append(f"{tag.name}[{name}={value}]")
    return found


@pytest.mark.parametrize(
    "source", [v for v, _ in XSS_VECTORS], ids=[i for _, i in XSS_VECTORS]
)
def test_render_removes_hostile_markup_from_the_body(source):
    doc = render(source)

    assert _hostile_parts(doc.html) == []
    assert "alert(1)</script" not in doc.html


@pytest.mark.parametrize(
    "source", [v for v, _ in XSS_VECTORS], ids=[i for _, i in XSS_VECTORS]
)
def test_render_removes_hostile_markup_from_notes(source):
    doc = render("Text.[^a]\n\n[^a]: " + source.replace("\n\n", " ") + "\n")

    assert _hostile_parts(doc.notes_html) == []
    assert _hostile_parts(doc.notes[0].html) == []


def test_render_removes_script_and_style_contents_not_just_tags():
    doc = render("<script>var secret = 1;</script>\n\n<style>p{}</style>\n\nText.")

    assert "secret" not in doc.html
    assert "p{}" not in doc.html


@pytest.mark.parametrize(
    ("source", "selector", "attribute", "value"),
    [
        (
            '<abbr title="Before Common Era">BCE</abbr>',
            "abbr",
            "title",
            "Before Common Era",
        ),
        ('<a href="/essays/venice/">rel</a>', "a", "href", "/essays/venice/"),
        ('<a href="#printing">frag</a>', "a", "href", "#printing"),
        (
            '<a href="mailto:ed@example.org">mail</a>',
            "a",
            "href",
            "mailto:ed@example.org",
        ),
        (
            "[https](https://example.org/a?b=c)",
            "a",
            "href",
            "https://example.org/a?b=c",
        ),
        ('<img src="/m/a.jpg" alt="A" loading="lazy">', "img", "loading", "lazy"),
        ('<q lang="la">Festina lente</q>', "q", "lang", "la"),
        ("<details open><summary>More</summary>Text</details>", "details", "open", ""),
        (
            '<span class="smallcaps" id="x1">Aldus</span>',
            "span",
            "class",
            ["smallcaps"],
        ),
        ("3. three\n4. four\n", "ol", "start", "3"),
        ("| a |\n|--:|\n| 1 |\n", "td", "class", ["align-right"]),
    ],
    ids=[
        "abbr-title",
        "relative-link",
        "fragment-link",
        "mailto-link",
        "markdown-https-link",
        "img-loading",
        "q-lang",
        "details-open",
        "span-class",
        "ordered-list-start",
        "table-alignment",
    ],
)
def test_render_keeps_benign_markup(source, selector, attribute, value):
    element = BeautifulSoup(render(source).html, "html.parser").select_one(selector)

    assert element is not None
    assert element[attribute] == value


@pytest.mark.parametrize(
    "tag",
    ["figure", "figcaption", "mark", "kbd", "sub", "sup", "del", "ins", "cite", "dl"],
)
def test_clean_allows_prose_and_figure_tags(tag):
    assert clean(f"<{tag}>x</{tag}>") == f"<{tag}>x</{tag}>"


def test_clean_keeps_the_notes_contract_attributes_intact():
    html = (
        '<section class="notes" role="doc-endnotes" aria-labelledby="notes-heading">'
        '<li id="note-1" class="note" value="1">'
        '<a href="#noteref-1" role="doc-backlink" aria-label="Back">↩</a></li>'
        "</section>"
    )

    assert clean(html) == html


def test_clean_adds_no_rel_to_links():
    assert clean('<a href="https://example.org/">x</a>') == (
        '<a href="https://example.org/">x</a>'
    )


def test_clean_drops_style_attributes_which_the_page_policy_forbids():
    row = "<table><tbody><tr><td{}>x</td></tr></tbody></table>"

    assert clean(row.format(' style="text-align:left; position:fixed"')) == (
        row.format("")
    )
