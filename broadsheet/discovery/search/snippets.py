"""Highlighted snippets, built from the stored plain text and the backend's hits.

A backend says which words of each column are hits (its own matching, stemming
included); the snippet is a window of the stored plain text around the first
hit, escaped, and only then are the hit words wrapped in <mark>; the result
passes the site's one sanitiser. Nothing from the index reaches a page as
HTML. A hit inside a note is traced, by its offset, to that note's number, so
the result can link to its anchor (#note-N, as rendering.notes writes it).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from broadsheet.discovery.models import SearchDocument
from broadsheet.discovery.search.backends import Hits
from broadsheet.discovery.search.text import NOTE_SEPARATOR
from broadsheet.rendering import sanitize

ELLIPSIS = "\u2026"
WORDS_BEFORE = 10
WORDS_AFTER = 24
OPENING_WORDS = 30


@dataclass(frozen=True)
class Snippet:
    """What a result shows of its text: `source` says where the hits are
    ("body", "note", "works", or "" for the opening words), `note` which note."""

    html: SafeString
    source: str = ""
    note: int | None = None


def highlighted(text: str, words: frozenset[str]) -> SafeString:
    """Escape `text` and wrap each of the hit `words` in it in <mark>."""
    pattern = _pattern(words)
    out, last = [], 0
    for match in pattern.finditer(text) if pattern else ():
        out += [_escape(text[last : match.start()]), "<mark>", _escape(match[0])]
        out.append("</mark>")
        last = match.end()
    out.append(_escape(text[last:]))
    return mark_safe(sanitize.clean("".join(out)))  # noqa: S308 - escaped, cleaned


def choose(hits: Hits | None, stored: SearchDocument | None) -> Snippet:
    """The snippet a result shows: hits in the body, else in a note (with its
    number), else in the works cited; else the body's opening words."""
    if stored is None:
        return Snippet(mark_safe(""))
    if hits is not None:
        if found := fragment(stored.body, hits.body):
            return Snippet(found, "body")
        if found := note_snippet(stored, hits.notes):
            return found
        if found := fragment(stored.works, hits.works):
            return Snippet(found, "works")
    return Snippet(highlighted(opening(stored.body), frozenset()))


def fragment(text: str, words: frozenset[str]) -> SafeString | None:
    """A window of `text` around its first hit, highlighted; None without one."""
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    if match is None:
        return None
    begin, stop = match.start(), match.end()
    for _ in range(WORDS_BEFORE):
        space = text.rfind(" ", 0, max(begin - 1, 0))
        begin = space + 1
        if space < 0:
            break
    for _ in range(WORDS_AFTER):
        space = text.find(" ", stop + 1)
        if space < 0:
            stop = len(text)
            break
        stop = space
    before = ELLIPSIS if begin > 0 else ""
    after = ELLIPSIS if stop < len(text) else ""
    return highlighted(f"{before}{text[begin:stop].strip()}{after}", words)


def note_snippet(stored: SearchDocument, words: frozenset[str]) -> Snippet | None:
    """The snippet of the first note with a hit, naming that note."""
    pattern = _pattern(words)
    match = pattern.search(stored.notes) if pattern else None
    if match is None or not stored.note_starts:
        return None
    offsets = [start for start, _ in stored.note_starts]
    index = max(bisect.bisect_right(offsets, match.start()) - 1, 0)
    end = (
        offsets[index + 1] - len(NOTE_SEPARATOR)
        if index + 1 < len(offsets)
        else len(stored.notes)
    )
    own = stored.notes[offsets[index] : end]
    found = fragment(own, words)
    if found is None:  # the hit straddled the separator: cannot happen in text
        return None
    return Snippet(found, "note", stored.note_starts[index][1])


def opening(text: str) -> str:
    """The first OPENING_WORDS words of a text, with an ellipsis if there are more."""
    words = text.split(" ", OPENING_WORDS)
    if len(words) > OPENING_WORDS:
        return " ".join(words[:OPENING_WORDS]) + ELLIPSIS
    return text


def _pattern(words: frozenset[str]) -> re.Pattern | None:
    # Whole words only (letters and digits, as the index splits them), longest
    # first; the alternation of literal words matches in linear time.
    if not words:
        return None
    alternation = "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w))))
    return re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])", re.IGNORECASE)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
