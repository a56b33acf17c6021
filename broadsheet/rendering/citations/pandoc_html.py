"""Pandoc AST to HTML: the citations and entries citeproc formatted, as HTML.

Pandoc is asked for its JSON AST rather than HTML because the AST keeps each
citation as its own Cite node, in the order sent, with a note style's note
separate from the mark, and the works cited as one Div of entries keyed by
work. Only the inline kinds citeproc produces are rendered; the HTML goes
through the one sanitiser with the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml

_WRAPPERS = {
    "Emph": "em",
    "Strong": "strong",
    "Superscript": "sup",
    "Subscript": "sub",
    "Strikeout": "del",
    "Underline": "span",
}


def collect_cites(node: Any, found: list[dict[str, Any]]) -> None:
    """Append every Cite node under node to found, in order, outside the refs."""
    if isinstance(node, list):
        for child in node:
            collect_cites(child, found)
    elif isinstance(node, dict) and "t" in node:
        if node["t"] == "Cite":
            found.append(node)
        elif node["t"] == "Div" and node["c"][0][0] == "refs":
            return
        elif "c" in node:
            collect_cites(node["c"], found)


def split_cite(cite: dict[str, Any]) -> tuple[str, str]:
    """Return a Cite node as (HTML in running text, HTML of its note)."""
    text, note = [], []
    for inline in cite["c"][1]:
        if inline["t"] == "Note":
            note.extend(_blocks_inlines(inline["c"]))
        else:
            text.append(inline)
    return inlines_html(text).strip(), inlines_html(note).strip()


def _blocks_inlines(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    inlines: list[dict[str, Any]] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            inlines.extend(block["c"])
        elif block["t"] == "Div":
            inlines.extend(_blocks_inlines(block["c"][1]))
    return inlines


def bibliography_entries(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield the bibliography as (key, entry HTML), in the style's order."""
    for block in blocks:
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            for entry in block["c"][1]:
                identifier = entry["c"][0][0]
                key = identifier.removeprefix("ref-")
                yield key, inlines_html(_blocks_inlines(entry["c"][1])).strip()


def inlines_html(inlines: Sequence[dict[str, Any]]) -> str:
    """Render Pandoc AST inlines (citeproc output) to HTML."""
    out = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            out.append(escapeHtml(content))
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("<br>")
        elif kind in _WRAPPERS:
            tag = _WRAPPERS[kind]
            out.append(f"<{tag}>{inlines_html(content)}</{tag}>")
        elif kind == "SmallCaps":
            out.append(f'<span class="smallcaps">{inlines_html(content)}</span>')
        elif kind == "Quoted":
            left, right = ("‘", "’") if content[0]["t"] == "SingleQuote" else ("“", "”")
            out.append(f"{left}{inlines_html(content[1])}{right}")
        elif kind == "Span":
            classes = content[0][1]
            inner = inlines_html(content[1])
            if "smallcaps" in classes or "csl-no-smallcaps" in classes:
                inner = f'<span class="smallcaps">{inner}</span>'
            out.append(inner)
        elif kind == "Link":
            href = escapeHtml(content[2][0])
            out.append(f'<a href="{href}">{inlines_html(content[1])}</a>')
        elif kind == "Cite":
            out.append(inlines_html(content[1]))
        elif kind in ("Code", "Math"):
            out.append(escapeHtml(content[1]))
    return "".join(out)
