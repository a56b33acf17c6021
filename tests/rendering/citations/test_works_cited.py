"""The works-cited list: an entry per work, linked back to every citing spot."""

from __future__ import annotations

from bs4 import BeautifulSoup

from broadsheet.rendering import render
from tests.rendering.citations.conftest import APA, WORKS


def test_works_cited_links_back_to_every_citing_spot():
    source = "A [@marlow1998]. B [@quill2004]. C [@marlow1998, p. 9].\n"

    doc = render(source, works=WORKS, style=APA)

    soup = BeautifulSoup(doc.bibliography_html, "html.parser")
    entries = soup.select("li.csl-entry")
    assert [li["id"] for li in entries] == ["work-marlow1998", "work-quill2004"]
    assert [a["href"] for a in entries[0].select("a.cite-backref")] == [
        "#cite-1",
        "#cite-3",
    ]
    body = BeautifulSoup(doc.html, "html.parser")
    assert body.select_one("#cite-3").text == "(Marlow, 1998, p. 9)"
