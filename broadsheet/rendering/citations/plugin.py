"""The markdown-it citation plugin: citation tokens in the stream, and their HTML.

Citations are parsed by a core rule straight after inline parsing, before notes
are numbered, so that in a note style a citation in running text becomes a
note numbered with the writer's own notes (CSL spec, "Notes"). The tokens are
rendered after resolution has given each cluster its formatted HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from broadsheet.rendering.citations.placement import (
    place_note_mark,
    take_punctuation,
    text_token,
)
from broadsheet.rendering.citations.processor import style_class
from broadsheet.rendering.citations.syntax import (
    Cluster,
    ParseState,
    passage,
    split_text,
)

_ENV_KEY = "broadsheet_citations"


def begin(env: dict[str, Any], *, style: str | Path | None) -> None:
    """Switch citation parsing on for one parse, in the style's class."""
    if style is None:
        raise ValueError("a CSL style path is needed to render citations")
    env[_ENV_KEY] = ParseState(
        enabled=True, note_style=style_class(str(style)) == "note"
    )


def parse_state(env: dict[str, Any]) -> ParseState | None:
    """Return what the parse into env found, or None when citations were off."""
    return env.get(_ENV_KEY)


def citations_plugin(md: MarkdownIt) -> None:
    """Parse Pandoc citations into citation tokens before notes are numbered."""
    # Straight after inline parsing, while an escaped "\\@" is still its own token.
    md.core.ruler.after("inline", "citation_scan", _scan)
    md.add_render_rule("citation", _render_citation)


def _citation_token(cluster: Cluster, part: str) -> Token:
    token = Token("citation", "", 0)
    token.meta = {"cluster": cluster.index, "part": part}
    return token


def _scan(state: StateCore) -> None:
    cites = state.env.get(_ENV_KEY)
    if cites is None or not cites.enabled:
        return
    inline_notes = state.env.setdefault("footnotes", {}).setdefault("list", {})

    def rewrite(children: list[Token], line: int, in_note: bool) -> list[Token]:
        out: list[Token] = []
        if not any(child.type in ("text", "footnote_ref") for child in children):
            return children
        in_autolink = False  # its text is the address: "<https://a/(x)@b/>"
        for child in children:
            if child.type == "footnote_ref" and "label" not in child.meta:
                entry = inline_notes.get(child.meta["id"], {})
                entry["tokens"] = rewrite(entry.get("tokens", []), line, True)
            if child.type in ("link_open", "link_close") and child.markup == "autolink":
                in_autolink = child.type == "link_open"
            if child.type != "text" or "@" not in child.content or in_autolink:
                out.append(child)
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                continue
            pieces = split_text(child.content, line, in_note, cites)
            for index, (text, cluster) in enumerate(pieces):
                if cluster is None:
                    if text:
                        out.append(text_token(text))
                elif in_note or not cites.note_style:
                    out.append(_citation_token(cluster, "text"))
                else:
                    # A note style turns a citation in running text into a note,
                    # numbered with the writer's own notes (CSL spec, "Notes").
                    cluster.as_note = True
                    punctuation = take_punctuation(pieces, index + 1)
                    place_note_mark(out, punctuation)
                    out.append(_citation_token(cluster, "open"))
                    note_id = len(inline_notes)
                    inline_notes[note_id] = {
                        "content": text,
                        "tokens": [_citation_token(cluster, "note")],
                    }
                    ref = Token("footnote_ref", "", 0)
                    ref.meta = {"id": note_id}
                    out.append(ref)
                    out.append(_citation_token(cluster, "close"))
        return out

    depth, line = 0, 1
    for token in state.tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type == "footnote_reference_open":
            depth += 1
        elif token.type == "footnote_reference_close":
            depth -= 1
        elif token.type == "inline" and token.children and "@" in token.content:
            first = len(cites.clusters)
            token.children = rewrite(token.children, line, depth > 0)
            text = passage(token.content)
            for cluster in cites.clusters[first:]:
                cluster.passage = text


def _render_citation(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    meta = tokens[idx].meta
    cluster = env[_ENV_KEY].clusters[meta["cluster"]]
    unresolved = cluster.problems or not (cluster.text_html or cluster.note_html)
    if meta["part"] == "open":
        # A note style's mark: the span holds the note reference and the anchor
        # the works cited links back to.
        kind = "citation unresolved" if unresolved else "citation"
        return f'<span class="{kind}" id="{cluster.anchor}">'
    if meta["part"] == "close":
        return "</span>"
    if unresolved:
        # Unresolved: show what the writer typed, so the page still reads.
        if meta["part"] == "note":
            source = escapeHtml(cluster.source)
            return f'<span class="citation unresolved">{source}</span>'
        body = escapeHtml(cluster.source)
        return f'<span class="citation unresolved" id="{cluster.anchor}">{body}</span>'
    if meta["part"] == "note":
        return f'<span class="citation">{cluster.note_html}</span>'
    return f'<span class="citation" id="{cluster.anchor}">{cluster.text_html}</span>'
