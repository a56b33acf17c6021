"""Library images: ![alt](media:ID) becomes a responsive <img>, alone a <figure>."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.rendering import render
from broadsheet.rendering.images import referenced_ids
from broadsheet.rendering.sanitize import clean

PRESS = {
    "src": "/media/images/aa/w1600.webp",
    "srcset": "/media/images/aa/w480.webp 480w, /media/images/aa/w1600.webp 1600w",
    "sizes": "(min-width: 37.5rem) 35rem, 100vw",
    "width": 1600,
    "height": 1000,
    "alt": "A hand press",
    "credit": "Photo: <the> museum",
}
IMAGES = {42: PRESS, 7: {**PRESS, "credit": ""}}


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_an_image_alone_in_its_paragraph_is_a_figure_with_its_credit():
    doc = render("Before.\n\n![](media:42)\n\nAfter.", images=IMAGES)
    soup = soup_of(doc.html)
    figure = soup.select_one("figure.media-figure")
    img = figure.img
    assert {k: img[k] for k in ("src", "srcset", "sizes", "width", "height")} == {
        "src": PRESS["src"],
        "srcset": PRESS["srcset"],
        "sizes": PRESS["sizes"],
        "width": "1600",
        "height": "1000",
    }
    assert (img["loading"], img["decoding"], img["alt"]) == (
        "lazy",
        "async",
        "A hand press",
    )
    assert figure.figcaption.get_text() == "Photo: <the> museum"
    assert figure.parent.name != "p"  # a figure may not sit inside a paragraph
    assert [p.get_text() for p in soup.find_all("p")] == ["Before.", "After."]
    assert doc.problems == ()


def test_the_writers_alt_text_and_title_win_over_the_librarys():
    doc = render('![A press at work](media:42 "Printing a proof")', images=IMAGES)
    figure = soup_of(doc.html).figure
    assert figure.img["alt"] == "A press at work"
    assert figure.select_one(".media-caption").get_text() == "Printing a proof"
    assert figure.select_one(".media-credit").get_text() == "Photo: <the> museum"


def test_an_image_without_credit_or_title_has_no_caption():
    figure = soup_of(render("![](media:7)", images=IMAGES).html).figure
    assert figure is not None and figure.figcaption is None


def test_an_image_inside_a_sentence_is_a_plain_responsive_img():
    soup = soup_of(render("The press ![](media:42) stood here.", images=IMAGES).html)
    assert soup.figure is None
    assert soup.p.img["srcset"] == PRESS["srcset"]


def test_an_image_in_a_note_is_resolved_too():
    doc = render("Text.[^a]\n\n[^a]: ![](media:42)\n", images=IMAGES)
    assert soup_of(doc.notes_html).select_one(".notes img")["src"] == PRESS["src"]


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("Intro.\n\n![](media:99)\n", 3),
        ("One\ntwo ![x](media:99) three\n", 2),
        ("![](media:abc)", 1),
    ],
    ids=["alone", "inline-second-line", "not-a-number"],
)
def test_an_unknown_media_address_is_a_problem_on_its_line(source, line):
    doc = render(source, images=IMAGES)
    assert [(p.line, p.code) for p in doc.problems] == [(line, "unknown-image")]
    assert doc.problems[0].is_error
    assert "media:" in doc.problems[0].message
    assert "<img" not in doc.html


def test_without_a_library_every_media_address_is_unknown():
    doc = render("![](media:42)")
    assert [p.code for p in doc.problems] == ["unknown-image"]


def test_ordinary_images_are_left_as_markdown_makes_them():
    html = render("![A kiln](https://example.org/kiln.jpg)", images=IMAGES).html
    img = soup_of(html).img
    assert img["src"] == "https://example.org/kiln.jpg" and img["alt"] == "A kiln"


def test_hostile_facts_are_escaped_and_schemes_still_checked():
    hostile = {
        1: {
            **PRESS,
            "src": "javascript:alert(1)",
            "srcset": "javascript:alert(1) 1x",
            "alt": '"><script>alert(1)</script>',
        }
    }
    html = render("![](media:1)", images=hostile).html
    img = soup_of(html).img
    assert "src" not in img.attrs and "srcset" not in img.attrs
    assert img["alt"] == '"><script>alert(1)</script>'
    assert "<script" not in html


def test_clean_drops_a_srcset_naming_a_foreign_scheme():
    kept = clean('<img srcset="/a.webp 480w, https://cdn.example.org/b.webp 960w">')
    dropped = clean('<img srcset="/a.webp 1x, data:image/png;base64,AAAA 2x">')
    shouted = clean('<IMG SRCSET="javascript:alert(1) 1x">')
    assert 'srcset="/a.webp 480w' in kept
    assert "srcset" not in dropped and "srcset" not in shouted.lower()


def test_referenced_ids_finds_every_media_address():
    assert referenced_ids("![](media:3) and ![x](media:12 'y') media:") == {3, 12}
