"""Raw HTML in Markdown: nesting kept shallow, and what the sanitiser will remove."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from broadsheet.rendering.document import WARNING, Problem
from broadsheet.rendering.sanitize import CONTENT_REMOVED, TAGS

# The HTML parser behind the sanitiser does work proportional to the depth of open
# elements for every block element it opens: 100,000 nested <div> took 48 s.
# Handwritten HTML is rarely ten deep; past this depth the rest is shown as text.
MAX_DEPTH = 100

# A start or end tag. The attributes stop at "<" as well as ">", so that every
# "<" scans only to the next one (linear); a ">" inside a quoted attribute value
# ends the tag early, which at worst leaves its tail as text for the sanitiser.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*+)[^<>]*+>")
# Elements that never hold others, and those whose end tag HTML lets writers
# leave out (the parser closes them itself), which therefore never nest deeper.
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
    }
)  # fmt: skip
_SELF_CLOSING = frozenset(
    {
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
        "optgroup", "colgroup", "caption", "rb", "rt", "rp",
    }
)  # fmt: skip
# Elements whose content the parser reads as text up to their own end tag.
_RAW_TEXT = frozenset(
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed",
        "noframes", "noscript", "plaintext",
    }
)  # fmt: skip
# What the sanitiser removes with its content, and <select>, whose content the
# parser keeps inside it until it is closed.
_SWALLOWING = CONTENT_REMOVED | _RAW_TEXT | {"select"}
# SVG and MathML ("foreign content"): inside them a tag ending in "/>" closes
# itself, <script/> and <style/> too, as the HTML parser reads it; elsewhere
# the slash means nothing and <script/> reads the rest as script.
_FOREIGN = frozenset({"svg", "math"})
# Raw HTML blocks that markdown-it ends only at their terminator (CommonMark's
# HTML blocks 2 to 5): left open, one runs to the end of the text, and the
# sanitiser drops it whole (comments and declarations never reach a page).
_OPEN_UNTIL = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">"))
_ENV_KEY = "broadsheet_raw_html"


@dataclass
class Element:
    """One raw HTML element as written: its name and the lines of its tags."""

    name: str
    line: int
    closed_at: int = 0  # the line of its end tag; 0 while open


@dataclass
class _Scan:
    """What the raw-HTML scan learns, kept in the markdown-it env."""

    problems: list[Problem] = field(default_factory=list)
    stack: list[Element] = field(default_factory=list)
    raw_text: Element | None = None
    too_deep: bool = False
    # Elements the sanitiser removes together with their content, in source order.
    swallowing: list[Element] = field(default_factory=list)
    # Tags outside the allow-list: name -> the line it first appears on.
    removed: dict[str, int] = field(default_factory=dict)


def _state(env: dict[str, Any]) -> _Scan:
    return env.setdefault(_ENV_KEY, _Scan())


def _feed(scan: _Scan, html: str, line: int) -> int:
    """Read the tags of one piece of raw HTML; return the line it nests too deep at.

    Returns 0 when the piece stays within MAX_DEPTH.
    """
    position = 0
    for match in _TAG.finditer(html):
        line += html.count("\n", position, match.start())
        position = match.start()
        closing, name = match[1] == "/", match[2].lower()
        if scan.raw_text is not None:
            # Inside <script>, <textarea>...: only the matching end tag counts.
            if closing and name == scan.raw_text.name:
                scan.raw_text.closed_at = line
                scan.raw_text = None
            continue
        if closing:
            _close(scan, name, line)
            continue
        element = Element(name, line)
        self_closed = match[0].endswith("/>")
        if self_closed and _in_foreign_content(scan):
            element.closed_at = line
        if name not in TAGS:
            scan.removed.setdefault(name, line)
        if name in _SWALLOWING and name not in _VOID:  # <embed> holds nothing
            scan.swallowing.append(element)
        if name in _RAW_TEXT and not element.closed_at:
            scan.raw_text = element
            continue
        if name in _VOID or name in _SELF_CLOSING or self_closed:
            continue
        scan.stack.append(element)
        if len(scan.stack) > MAX_DEPTH:
            return line
    return 0


def _in_foreign_content(scan: _Scan) -> bool:
    # The stack is never deeper than MAX_DEPTH, so this search is bounded.
    return any(element.name in _FOREIGN for element in scan.stack)


def _close(scan: _Scan, name: str, line: int) -> None:
    # The stack is never deeper than MAX_DEPTH, so this search is bounded.
    for depth in range(len(scan.stack) - 1, -1, -1):
        if scan.stack[depth].name == name:
            for element in scan.stack[depth:]:
                element.closed_at = line
            del scan.stack[depth:]
            return


def _html_tokens(tokens: Sequence[Token], env: dict[str, Any]) -> Iterator[Token]:
    """Yield raw HTML tokens with .meta["line"] set, in source order."""
    line = 1
    inline_notes = env.get("footnotes", {}).get("list", {})
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type == "html_block":
            token.meta["line"] = line
            yield token
        elif token.type == "inline" and token.children:
            yield from _inline_html(token.children, line, inline_notes)


def _inline_html(
    children: Sequence[Token], line: int, inline_notes: dict[int, Any]
) -> Iterator[Token]:
    for child in children:
        if child.type == "html_inline":
            child.meta["line"] = line
            yield child
            line += child.content.count("\n")
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "footnote_ref" and "label" not in child.meta:
            body = inline_notes.get(child.meta["id"], {}).get("tokens", [])
            yield from _inline_html(body, line, inline_notes)


def _scan_html(state: StateCore) -> None:
    scan = _state(state.env)
    for token in _html_tokens(state.tokens, state.env):
        before = list(scan.stack), scan.raw_text, len(scan.swallowing)
        too_deep_at = _feed(scan, token.content, token.meta["line"])
        if not too_deep_at:
            continue
        # Show this piece as text: the page keeps it, and the parser behind the
        # sanitiser never sees the depth.
        scan.stack, scan.raw_text = before[0], before[1]
        del scan.swallowing[before[2] :]
        token.content = escapeHtml(token.content)
        if not scan.too_deep:
            scan.too_deep = True
            scan.problems.append(
                Problem(
                    too_deep_at,
                    "html-too-deep",
                    f"raw HTML is nested more than {MAX_DEPTH} elements deep; "
                    "it is shown as text: close its elements or simplify it",
                )
            )

    for token in state.tokens:
        if token.type == "html_block" and (found := _unterminated(token.content)):
            scan.problems.append(_unclosed_block(*found, token.meta["line"]))
    for element in scan.swallowing:
        if not element.closed_at:
            scan.problems.append(_unclosed(element))
            break
    for name, line in scan.removed.items():
        scan.problems.append(_removed(name, line))


def _removed(name: str, line: int) -> Problem:
    what = (
        "with everything inside it"
        if name in CONTENT_REMOVED
        else "(the text inside it is kept)"
    )
    return Problem(
        line,
        "html-removed",
        f"<{name}> is not allowed on pages and is removed {what}",
        severity=WARNING,
    )


def _unclosed(element: Element) -> Problem:
    name = element.name
    return Problem(
        element.line,
        "unclosed-html",
        f"<{name}> is never closed, so the text after it is read as part of it "
        f"and lost or shown as markup: add </{name}>",
    )


def _unterminated(block: str) -> tuple[str, str] | None:
    """The opening and terminator of a comment or declaration `block` leaves open."""
    for opening, terminator in _OPEN_UNTIL:
        if block.startswith(opening):
            # "<!-->" is a whole (empty) comment, as markdown-it reads it.
            start = 2 if opening == "<!--" else len(opening)
            return None if terminator in block[start:] else (opening, terminator)
    return None


def _unclosed_block(opening: str, terminator: str, line: int) -> Problem:
    return Problem(
        line,
        "unclosed-html",
        f"{opening} is never closed, so all the text after it is read as part of "
        f"it and lost: add {terminator}",
    )


def raw_html_plugin(md: MarkdownIt) -> None:
    """Check raw HTML once inline parsing has found it, before notes move it."""
    md.core.ruler.after("inline", "raw_html_scan", _scan_html)


def find_problems(env: dict[str, Any]) -> tuple[Problem, ...]:
    """Return the raw-HTML problems found while parsing."""
    return tuple(_state(env).problems)


def swallowed_by(env: dict[str, Any], line: int) -> Element | None:
    """Return the element removed with its content that is open at line, if any."""
    # Asked about at most one line per document part, so one pass is enough.
    for element in reversed(_state(env).swallowing):
        if element.line <= line and not 0 < element.closed_at < line:
            return element
    return None


def removed_on_purpose(env: dict[str, Any]) -> Callable[[int], bool]:
    """Return a test of whether text on a line is inside an element removed with
    its content that is closed on or after that line (its warning says so).

    The answer is swallowed_by()'s, kept up as the lines asked about rise, so a
    whole document costs one pass over its elements (a line lower than the last
    asked starts the pass again)."""
    elements = _state(env).swallowing
    pass_state = {"next": 0, "line": 0, "open": []}

    def test(line: int) -> bool:
        if line < pass_state["line"]:
            pass_state.update(next=0, open=[])
        pass_state["line"] = line
        opened: list[Element] = pass_state["open"]
        while pass_state["next"] < len(elements):
            if elements[pass_state["next"]].line > line:
                break
            opened.append(elements[pass_state["next"]])
            pass_state["next"] += 1
        while opened and 0 < opened[-1].closed_at < line:
            opened.pop()
        return bool(opened) and opened[-1].closed_at >= line

    return test
