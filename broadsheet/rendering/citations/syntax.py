"""Citation syntax: Pandoc's [@key, p. N] clusters and narrative @key in text.

Reading is kept apart from formatting: a text token is cut into plain text and
clusters (what each cites, on which line, and what is wrong with it) as
markdown-it meets it, while formatting waits until every cluster of the
document is known (see processor.py), because "Ibid." and short forms depend on
what came before.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from broadsheet.rendering.citations.locators import read_locator
from broadsheet.rendering.document import Problem

_KEY = r"(?:\{(?P<braced>[^{}\s]+)\}|(?P<plain>\w(?:[\w:.#$%&+?<>~/-]*\w)?))"
# Every pattern here runs on writers' text, so each is linear: no two
# quantifiers can share characters, and possessive forms (Python 3.11) keep a
# failed match from retrying shorter runs.
# A bracketed cluster: at least one @key inside [ ], nothing bracketed inside.
# Finding the brackets first and the @key inside second keeps each "[" scanning
# only to the next bracket.
_BRACKETED = re.compile(r"\[(?P<body>[^\[\]]*+)\]")
_CITES_A_KEY = re.compile(r"(?:^|[^\w.])-?@[{\w]")
# A "[" whose text runs to the next "[" or the end of the text without a "]".
_UNCLOSED = re.compile(r"\[(?P<body>[^\[\]]*+)(?!\])")
_NOTE_MARK_START = re.compile(r"\[\^|\^\[")
_ITEM = re.compile(
    r"^(?P<prefix>(?:.*?\s)?)(?P<suppress>-?)@" + _KEY + r"(?P<suffix>.*)$", re.S
)
# A narrative citation: @key not glued to a word (e-mail addresses) nor to "[".
_NARRATIVE = re.compile(
    r"(?<![\w.@\[-])@" + _KEY + r"(?:\s\[(?P<locator>[^\[\]@]*)\])?"
)


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work cited inside a cluster, as the writer typed it."""

    key: str
    prefix: str = ""
    suffix: str = ""
    label: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass
class Cluster:
    """One citation as written: [@a, p. 4; @b] or a narrative @a."""

    index: int
    source: str
    items: tuple[CiteItem, ...]
    line: int
    in_note: bool
    narrative: bool
    as_note: bool = False
    before_punctuation: bool = False
    passage: str = ""
    problems: list[Problem] = field(default_factory=list)
    anchor: str = ""
    text_html: str = ""
    note_html: str = ""


@dataclass
class ParseState:
    """The clusters of one parse, and the problems found outside any cluster."""

    enabled: bool = False
    note_style: bool = False
    clusters: list[Cluster] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # outside any cluster


def _key(match: re.Match[str]) -> str:
    return match["braced"] or match["plain"]


def _parse_items(body: str, line: int) -> tuple[tuple[CiteItem, ...], list[Problem]]:
    items, problems = [], []
    for part in body.split(";"):
        match = _ITEM.match(part)
        if not match:
            problems.append(
                Problem(line, "malformed-citation", f"cannot read citation [{body}]")
            )
            continue
        key, suffix = _key(match), match["suffix"]
        label = value = ""
        if suffix.strip():
            label, value, problem = read_locator(key, suffix, line)
            if problem is not None:
                problems.append(problem)
        items.append(
            CiteItem(
                key=key,
                prefix=match["prefix"].strip(),
                suffix=suffix,
                label=label,
                locator=value,
                suppress_author=bool(match["suppress"]),
            )
        )
    return tuple(items), problems


def _clusters(text: str) -> Iterator[re.Match[str]]:
    """Yield each bracketed citation cluster in text, in order."""
    return (
        match
        for match in _BRACKETED.finditer(text)
        if _CITES_A_KEY.search(match["body"])
    )


def split_text(
    content: str, line: int, in_note: bool, state: ParseState
) -> list[tuple[str, Cluster | None]]:
    """Cut a text token into plain text and clusters, in order."""
    spans: list[tuple[int, int, Cluster]] = []
    for match in _clusters(content):
        items, problems = _parse_items(match["body"], line)
        spans.append(
            (
                match.start(),
                match.end(),
                _new_cluster(state, match[0], items, line, in_note, False, problems),
            )
        )
    for match in _UNCLOSED.finditer(content):
        if _CITES_A_KEY.search(match["body"]):
            shown = match[0] if len(match[0]) <= 40 else match[0][:40] + "…"
            state.problems.append(
                Problem(
                    line,
                    "unclosed-citation",
                    f"citation \u201c{shown}\u201d has no closing \u201c]\u201d "
                    "on its line",
                )
            )
    # Clusters come in order and never overlap: the last one starting at or
    # before a narrative @key is the only one that can contain it.
    starts = [start for start, _end, _cluster in spans]
    for match in _NARRATIVE.finditer(content):
        inside = bisect.bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < spans[inside][1]:
            continue
        suffix = match["locator"] or ""
        items, problems = _parse_items(
            f"@{{{_key(match)}}}" + (f", {suffix}" if suffix else ""), line
        )
        cluster = _new_cluster(state, match[0], items, line, in_note, True, problems)
        spans.append((match.start(), match.end(), cluster))
    spans.sort(key=lambda span: span[0])
    for _start, end, cluster in spans:
        cluster.before_punctuation = content[end : end + 1] in (".", ",", ";", ":")
    pieces: list[tuple[str, Cluster | None]] = []
    position = 0
    for start, end, cluster in spans:
        if start > position:
            pieces.append((content[position:start], None))
        pieces.append((content[start:end], cluster))
        position = end
    if position < len(content):
        pieces.append((content[position:], None))
    return pieces


def _new_cluster(state, source, items, line, in_note, narrative, problems) -> Cluster:
    cluster = Cluster(
        index=len(state.clusters),
        source=source,
        items=items,
        line=line,
        in_note=in_note,
        narrative=narrative,
        problems=problems,
    )
    state.clusters.append(cluster)
    return cluster


@functools.lru_cache(maxsize=4096)
def passage(markdown: str, limit: int = 300) -> str:
    """Return a paragraph's text without citation and note markup, for listings."""
    pieces, position = [], 0
    for match in _clusters(markdown):
        pieces.append(markdown[position : match.start()])
        position = match.end()
    pieces.append(markdown[position:])
    text = _without_note_marks("".join(pieces))
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _without_note_marks(text: str) -> str:
    """Drop note references "[^a]" and inline notes "^[...]", each up to its "]"."""
    # A pattern "[^ ... ]" would rescan the rest of the text from every "[^"
    # when no "]" follows; here each stretch of text is looked at once.
    pieces, position = [], 0
    for start in _NOTE_MARK_START.finditer(text):
        if start.start() < position:
            continue
        end = text.find("]", start.end())
        if end < 0:
            break
        pieces.append(text[position : start.start()])
        position = end + 1
    pieces.append(text[position:])
    return "".join(pieces)
