"""Shared data for citation tests: the shipped styles, invented works, a reader.

The works are neutral invented sources (a book on printing, an article on paper
history), with two deliberately incomplete ones for the problem tests.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

STYLE_DIR = Path(__file__).resolve().parents[3] / "broadsheet" / "sources" / "styles"
APA = str(STYLE_DIR / "apa.csl")
CHICAGO_NB = str(STYLE_DIR / "chicago-notes-bibliography.csl")
CHICAGO_IBID = str(STYLE_DIR / "chicago-notes-bibliography-subsequent-ibid.csl")
CHICAGO_AD = str(STYLE_DIR / "chicago-author-date.csl")
MLA = str(STYLE_DIR / "modern-language-association.csl")

WORKS = {
    "marlow1998": {
        "id": "marlow1998",
        "type": "book",
        "author": [{"family": "Marlow", "given": "Agnes"}],
        "title": "The Long Press",
        "publisher": "Harbour Press",
        "publisher-place": "Leeds",
        "issued": {"date-parts": [[1998]]},
    },
    "quill2004": {
        "id": "quill2004",
        "type": "article-journal",
        "author": [
            {"family": "Quill", "given": "Tobias"},
            {"family": "Fenn", "given": "Ruth"},
        ],
        "title": "Rag paper and its discontents",
        "container-title": "Journal of Paper History",
        "volume": "12",
        "issue": "3",
        "page": "201-230",
        "issued": {"date-parts": [[2004]]},
    },
    "undated": {"id": "undated", "type": "book", "title": "A Loaf Undated"},
    "untitled": {
        "id": "untitled",
        "type": "book",
        "author": [{"family": "Nobody"}],
        "issued": {"date-parts": [[1900]]},
    },
}


def citation_texts(html: str) -> list[str]:
    """Return the inner HTML of every citation span in html, in order."""
    soup = BeautifulSoup(html, "html.parser")
    return [span.decode_contents() for span in soup.select("span.citation")]
