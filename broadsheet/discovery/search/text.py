"""Plain text of an article's stored HTML, for the index: the body, and each note.

The index holds what readers read, not Markdown syntax: the rendered, sanitised
HTML with its tags taken off by the standard library's HTMLParser (one linear
pass; the HTML is nh3's output, so well formed). Note-reference numbers and
back-link arrows are left out: they are navigation, not prose.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

# Private-use characters the backends wrap hits in (see snippets.py); taken out
# of stored text so a writer's text can never pose as a highlight.
HIT_START = "\ue000"
HIT_END = "\ue001"
NOTE_SEPARATOR = "\n\n"  # between notes in the stored notes text
# Long enough for any article (a 40,000-word piece is about 250,000 characters);
# short enough to keep a hostile body within PostgreSQL's 1 MB tsvector.
MAX_COLUMN_CHARS = 300_000

_SKIPPED_CLASSES = {"note-ref", "note-backref", "cite-backref"}
_BLOCKS = {
    "p", "div", "section", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "caption",
    "figure", "figcaption", "details", "summary", "br", "hr",
}  # fmt: skip
_VOID = {"br", "hr", "img", "col", "wbr"}
_NOTE_ID = re.compile(r"note-(\d+)\Z")


def plain(text: str) -> str:
    """Collapse whitespace, drop the hit markers and cap the length."""
    # Two replace() calls: str.translate() cost more than the whole tag scan.
    text = text.replace(HIT_START, " ").replace(HIT_END, " ")
    return " ".join(text.split())[:MAX_COLUMN_CHARS]


def body_text(html: str) -> str:
    """Return the plain text of a rendered article body."""
    parser = _TextParser(collect_notes=False)
    parser.feed(html)
    parser.close()
    return plain("".join(parser.text))


def notes_text(notes_html: str) -> tuple[str, list[list[int]]]:
    """Return the notes as one text, and [offset, note number] of each note in it.

    Notes are joined by a blank line; the offsets say where each one starts, so a
    hit found in the text can be traced to its note (and the note's #note-N).
    """
    parser = _TextParser(collect_notes=True)
    parser.feed(notes_html)
    parser.close()
    parts, starts, offset = [], [], 0
    for number, pieces in parser.notes:
        text = plain("".join(pieces))
        if not text:
            continue
        if parts:
            offset += len(NOTE_SEPARATOR)
        starts.append([offset, number])
        parts.append(text)
        offset += len(text)
    return NOTE_SEPARATOR.join(parts)[:MAX_COLUMN_CHARS], starts


class _TextParser(HTMLParser):
    def __init__(self, *, collect_notes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.collect_notes = collect_notes
        self.text: list[str] = []
        self.notes: list[tuple[int, list[str]]] = []
        self.open: list[tuple[str, bool]] = []  # tag, whether it starts a skip
        self.open_count: Counter[str] = Counter()  # an end tag's check in O(1)
        self.skipping = 0
        self.list_depth = -1  # where the notes' <ol class="notes-list"> is open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._out().append(" ")
        if tag in _VOID:
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        skip = bool(classes & _SKIPPED_CLASSES) or values.get("id") == "notes-heading"
        if (
            self.collect_notes
            and tag == "ol"
            and "notes-list" in classes
            and self.list_depth < 0
        ):
            self.list_depth = len(self.open)
        elif tag == "li" and len(self.open) == self.list_depth + 1:
            # Only the list's own items: a writer's <li id="note-9"> inside a
            # note is part of that note.
            number = _NOTE_ID.match(values.get("id") or "")
            if number:
                self.notes.append((int(number[1]), []))
        self.open.append((tag, skip))
        self.open_count[tag] += 1
        self.skipping += skip

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self._out().append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.open_count[tag]:
            while self.open:
                name, skip = self.open.pop()
                self.open_count[name] -= 1
                self.skipping -= skip
                if len(self.open) == self.list_depth:
                    self.list_depth = -1
                if name == tag:
                    break
        if tag in _BLOCKS:
            self._out().append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._out().append(data)

    def _out(self) -> list[str]:
        return self.notes[-1][1] if self.notes else self.text
