"""Notes: numbering in order of first reference, back-links, and integrity problems."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_ref

from broadsheet.rendering.document import Note, Problem

# What the footnote plugin would have turned into a reference had the label been
# defined: "[^" + a label without spaces + "]". A label stops at "[" as well, so
# that each "[^" scans only to the next bracket: with "[" allowed, a run of
# "[^" without a "]" was rescanned from every one of them (quadratic).
_LITERAL_REF = re.compile(r"\[\^([^\[\]\s]++)\]")
_LABEL_STOP = re.compile(r"[ \n\[\]]")
_ENV_KEY = "broadsheet_notes"


@dataclass
class _Notes:
    """What the core rules learn about notes, kept in the markdown-it env."""

    problems: list[Problem] = field(default_factory=list)
    order: list[int] = field(default_factory=list)  # plugin ids, in number order
    numbers: dict[int, int] = field(default_factory=dict)  # plugin id -> number
    labels: dict[int, str] = field(default_factory=dict)
    bodies: dict[int, list[Token]] = field(default_factory=dict)
    ref_ids: dict[int, list[str]] = field(default_factory=dict)


def _state(env: dict[str, Any]) -> _Notes:
    return env.setdefault(_ENV_KEY, _Notes())


def inline_children(tokens: Sequence[Token]) -> Iterator[tuple[Token, int]]:
    """Yield each inline child with the 1-based source line it starts on."""
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type != "inline" or not token.children:
            continue
        child_line = line
        for child in token.children:
            yield child, child_line
            if child.type in ("softbreak", "hardbreak"):
                child_line += 1
            elif child.type == "html_inline":
                child_line += child.content.count("\n")


def _scan_undefined(state: StateCore) -> None:
    # Runs straight after inline parsing, before text_join, while an escaped
    # "\[^x]" is still a separate text_special token and so is not flagged.
    # Only text tokens are scanned: code spans and blocks are never references.
    problems = _state(state.env).problems
    inline_notes = state.env.get("footnotes", {}).get("list", {})

    def scan(children: Iterator[tuple[Token, int]]) -> None:
        for child, line in children:
            if child.type == "text":
                for match in _LITERAL_REF.finditer(child.content):
                    message = f"note reference [^{match[1]}] has no definition"
                    problems.append(Problem(line, "undefined-note", message))
            elif child.type == "footnote_ref" and "label" not in child.meta:
                # An inline note ^[...]: its text lives in the env, not the stream.
                body = inline_notes.get(child.meta["id"], {}).get("tokens", [])
                scan((grandchild, line) for grandchild in body)

    scan(inline_children(state.tokens))


def _split_definitions(
    tokens: list[Token], problems: list[Problem]
) -> tuple[list[Token], dict[str, tuple[int, list[Token]]]]:
    """Take definitions out of the stream; the first definition of a label wins."""
    body: list[Token] = []
    definitions: dict[str, tuple[int, list[Token]]] = {}
    open_definitions: list[tuple[Token, list[Token]]] = []
    for token in tokens:
        if token.type == "footnote_reference_open":
            open_definitions.append((token, []))
        elif token.type == "footnote_reference_close":
            opener, content = open_definitions.pop()
            label, line = opener.meta["label"], opener.map[0] + 1
            if label in definitions:
                first = definitions[label][0]
                problems.append(
                    Problem(
                        line,
                        "duplicate-note",
                        f"note [^{label}] is defined more than once "
                        f"(first at line {first})",
                    )
                )
            else:
                definitions[label] = (line, content)
            if not any(token.content.strip() for token in content):
                problems.append(
                    Problem(line, "empty-note", f"note [^{label}] has no text")
                )
        elif open_definitions:
            open_definitions[-1][1].append(token)
        else:
            body.append(token)
    return body, definitions


def _inline_note_body(entry: dict[str, Any]) -> list[Token]:
    paragraph_open = Token("paragraph_open", "p", 1, block=True)
    inline = Token("inline", "", 0, children=entry["tokens"], content=entry["content"])
    return [paragraph_open, inline, Token("paragraph_close", "p", -1, block=True)]


def _collect(state: StateCore) -> None:
    notes = _state(state.env)
    plugin_notes = state.env.get("footnotes", {}).get("list", {})
    state.tokens, definitions = _split_definitions(state.tokens, notes.problems)

    def number_references(tokens: Sequence[Token]) -> None:
        for child, _line in inline_children(tokens):
            if child.type != "footnote_ref":
                continue
            note_id = child.meta["id"]
            if note_id not in notes.numbers:
                notes.order.append(note_id)
                notes.numbers[note_id] = len(notes.order)
                notes.ref_ids[note_id] = []
            number = notes.numbers[note_id]
            refs = notes.ref_ids[note_id]
            suffix = f"-{len(refs) + 1}" if refs else ""
            child.meta["number"] = number
            child.meta["ref_id"] = f"noteref-{number}{suffix}"
            refs.append(child.meta["ref_id"])

    # Body references first, in reading order; then references made inside notes,
    # so a note cited only from another note is numbered after it.
    number_references(state.tokens)
    position = 0
    while position < len(notes.order):
        note_id = notes.order[position]
        entry = plugin_notes[note_id]
        if "tokens" in entry:
            label, body = "", _inline_note_body(entry)
        else:
            label = entry["label"]
            body = definitions.get(label, (0, []))[1]
        notes.labels[note_id], notes.bodies[note_id] = label, body
        number_references(body)
        position += 1

    used = set(notes.labels.values())
    unused = {label: d for label, d in definitions.items() if label not in used}
    # A note cited only from an unused note is unused too; say why, or the
    # writer looks at that citation and wonders what is wrong.
    cited_from_unused = {
        child.meta.get("label")
        for _line, body in unused.values()
        for child, _ in inline_children(body)
        if child.type == "footnote_ref"
    }
    for label, (line, _body) in unused.items():
        reason = (
            "is referenced only from unused notes"
            if label in cited_from_unused
            else "is defined but never referenced"
        )
        notes.problems.append(Problem(line, "unused-note", f"note [^{label}] {reason}"))


def _render_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    meta = tokens[idx].meta
    if "number" not in meta:
        # Only a reference outside the numbered notes gets here (for example one
        # inside an unused definition); show what the writer typed.
        return escapeHtml(f"[^{meta.get('label', '')}]")
    number = meta["number"]
    return (
        f'<sup class="note-ref"><a href="#note-{number}" id="{meta["ref_id"]}"'
        f' role="doc-noteref">{number}</a></sup>'
    )


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    # The plugin scans a label up to "]", space or newline, from every "[^": a
    # line of "[^[^[^..." was rescanned from each of them (quadratic). Labels
    # stop at "[" too, as in Pandoc, so each scan ends at the next bracket.
    if state.src.startswith("[^", state.pos):
        stop = _LABEL_STOP.search(state.src, state.pos + 2, state.posMax)
        if stop is None or stop[0] != "]":
            return False
    return footnote_ref(state, silent)


def notes_plugin(md: MarkdownIt) -> None:
    """Number notes, render references to the Broadsheet contract, find problems."""
    md.inline.ruler.at("footnote_ref", _footnote_ref)
    md.core.ruler.after("inline", "note_scan", _scan_undefined)
    md.core.ruler.push("note_collect", _collect)
    md.add_render_rule("footnote_ref", _render_ref)


def build_notes(
    env: dict[str, Any], render_body: Callable[[list[Token]], str]
) -> tuple[Note, ...]:
    """Return the notes in number order, each body rendered with render_body."""
    notes = _state(env)
    return tuple(
        Note(
            number=number,
            label=notes.labels[note_id],
            html=render_body(notes.bodies[note_id]),
            ref_ids=tuple(notes.ref_ids[note_id]),
        )
        for number, note_id in enumerate(notes.order, start=1)
    )


def find_problems(env: dict[str, Any]) -> tuple[Problem, ...]:
    """Return the note problems found while parsing, in source order."""
    return tuple(sorted(_state(env).problems, key=lambda p: (p.line, p.code)))


def _backlinks(note: Note) -> str:
    links = []
    for occurrence, ref_id in enumerate(note.ref_ids, start=1):
        if occurrence == 1:
            label, mark = f"Back to reference {note.number}", "↩"
        else:
            label = f"Back to reference {note.number}, occurrence {occurrence}"
            mark = f"↩<sup>{occurrence}</sup>"
        links.append(
            f'<a href="#{ref_id}" class="note-backref" role="doc-backlink"'
            f' aria-label="{label}">{mark}</a>'
        )
    return " ".join(links)


def render_notes_section(notes: Sequence[Note]) -> str:
    """Render the endnotes section, or "" when there are no notes.

    Note bodies must already be sanitised; everything added here is fixed markup.
    """
    if not notes:
        return ""
    items = []
    for note in notes:
        body, backlinks = note.html.rstrip(), _backlinks(note)
        if body.endswith("</p>"):
            # Back-links sit at the end of the last paragraph, as readers expect.
            body = f"{body[:-4]} {backlinks}</p>"
        else:
            body = f"{body}\n<p>{backlinks}</p>" if body else f"<p>{backlinks}</p>"
        items.append(
            f'<li id="note-{note.number}" class="note" value="{note.number}">'
            f"{body}</li>\n"
        )
    return (
        '<section class="notes" role="doc-endnotes" aria-labelledby="notes-heading">\n'
        '<h2 id="notes-heading">Notes</h2>\n'
        '<ol class="notes-list">\n' + "".join(items) + "</ol>\n</section>\n"
    )
