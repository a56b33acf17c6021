"""Raw HTML in Markdown: rewritten from its tokens for the sanitiser, nesting kept
shallow, and what the sanitiser will remove reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from broadsheet.rendering import html_tokens
from broadsheet.rendering.document import WARNING, Problem
from broadsheet.rendering.html_tokens import RAW_TEXT, Tag, Text
from broadsheet.rendering.sanitize import CONTENT_REMOVED, TAGS

# Why raw HTML is rewritten before the sanitiser sees it. The HTML parser behind
# the sanitiser does work proportional to the depth of open elements for every
# element it opens: 100,000 nested <div> took 48 s. Handwritten HTML is rarely
# ten deep, so past MAX_DEPTH a piece is shown as text. Counting that depth from
# the writer's text as typed missed what the parser does with it (a "<" inside
# a quoted value, tags in comments, "</span>" that the parser ignores, <svg>'s
# rules): each let 20,000 nested elements through, 2 to 6 s of a worker. So each
# piece is rewritten from its tokens (html_tokens): only allowed tags, with
# quoted and escaped attributes; comments, and elements the sanitiser removes
# with their content, left out here. The parser then reads exactly the tags
# counted, and the count below follows its rules for those tags, erring towards
# more depth, never less.
MAX_DEPTH = 100

# Elements that never hold others.
_VOID = frozenset({"br", "col", "hr", "img"}) & TAGS
# Elements the parser never nests in one another without a counted element in
# between (a new <p> closes the open one; cells and rows live inside a counted
# <table>): left out of the count, as their end tags are so often left out.
_UNCOUNTED = frozenset(
    {"p", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption"}
)
# The standard's formatting elements: the parser may open them again after an
# end tag closed them implicitly, and a misnested end tag of one moves elements
# rather than closing them.
_FORMATTING = frozenset({"a", "code", "em", "s", "small", "strong"}) & TAGS
# The standard's special elements, among the allowed tags.
_SPECIAL = frozenset(
    {
        "blockquote", "br", "caption", "col", "colgroup", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "img", "li", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# An end tag finds its element only if none of these is open above it ("scope").
_SCOPE_BOUNDARIES = frozenset({"caption", "table", "td", "th"})
_LIST_ITEM_SCOPE = _SCOPE_BOUNDARIES | {"ol", "ul"}
# SVG and MathML: "/>" closes them (and nothing else in HTML).
_FOREIGN = frozenset({"svg", "math"})
# Carries an element removed with its content over the Markdown between two
# pieces: the parser reads everything up to its end tag as script, which the
# sanitiser removes.
_BRIDGE = "<script>"
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
    # Formatting elements closed by another element's end tag, which the parser
    # may open again: counted as open for good, erring towards depth.
    reopenable: int = 0
    tokenizer: html_tokens.Tokenizer = field(default_factory=html_tokens.Tokenizer)
    # The element removed with its content being passed over, how many elements
    # of its name are open inside it, and whether a bridge carries it on.
    removing: Element | None = None
    removing_depth: int = 0
    bridged: bool = False
    too_deep: bool = False
    unterminated_at: int = 0  # the first tag the text ends inside, if any
    # Elements the sanitiser removes together with their content, in source order.
    swallowing: list[Element] = field(default_factory=list)
    # Tags outside the allow-list: name -> the line it first appears on.
    removed: dict[str, int] = field(default_factory=dict)

    def depth(self) -> int:
        return len(self.stack) + self.reopenable

    def saved(self) -> tuple:
        return (
            list(self.stack), self.reopenable, self.tokenizer.raw_text,
            self.removing, self.removing_depth, self.bridged, len(self.swallowing),
        )  # fmt: skip

    def restore(self, saved: tuple) -> None:
        (
            self.stack, self.reopenable, self.tokenizer.raw_text,
            self.removing, self.removing_depth, self.bridged, swallowing,
        ) = saved  # fmt: skip
        del self.swallowing[swallowing:]


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _state(env: dict[str, Any]) -> _Scan:
    return env.setdefault(_ENV_KEY, _Scan())


def _rewrite(scan: _Scan, html: str, line: int) -> str:
    """Return one piece of raw HTML as the sanitiser's parser is to read it.

    Raises _TooDeep with the line where it nests past MAX_DEPTH."""
    out: list[str] = []
    for token in scan.tokenizer.tokens(html):
        breaks = html.count("\n", token.start, token.end)
        if scan.removing is not None:
            out.append(_pass_over(scan, token, breaks, line))
        elif isinstance(token, Tag):
            out.append(_tag(scan, token, breaks, line))
        elif isinstance(token, Text):
            out.append(token.text.replace("<", "&lt;"))
        elif token.unterminated or token.raw_text not in CONTENT_REMOVED | {""}:
            # A tag the piece ends inside is shown as typed, as is the text of
            # a raw-text element the page keeps (<title>).
            if token.unterminated and not scan.unterminated_at:
                scan.unterminated_at = line
            out.append(html[token.start : token.end].replace("<", "&lt;"))
        else:
            out.append(_hidden(breaks))
        line += breaks
    if scan.removing is not None and not scan.bridged:
        scan.bridged = True
        out.append(_BRIDGE)
    return "".join(out)


def _hidden(breaks: int) -> str:
    # A comment holding the source's line breaks: line numbers stay true, and
    # no text is added (which would show inside a <pre>).
    return "<!--" + "\n" * breaks + "-->" if breaks else ""


def _tag(scan: _Scan, tag: Tag, breaks: int, line: int) -> str:
    name = tag.name
    if name in TAGS:
        if tag.closing:
            _close(scan, name)
        else:
            _open(scan, name, line)
        return html_tokens.written(tag, "\n" * breaks)
    if tag.closing:
        return _hidden(breaks)
    scan.removed.setdefault(name, line)
    if name in RAW_TEXT:
        scan.tokenizer.raw_text = name
    if name in CONTENT_REMOVED and not (
        name == "embed" or tag.self_closing and name in _FOREIGN
    ):
        scan.removing = Element(name, line)
        scan.removing_depth = 1
        scan.swallowing.append(scan.removing)
    return _hidden(breaks)


def _pass_over(scan: _Scan, token: html_tokens.Token, breaks: int, line: int) -> str:
    """Leave out a token inside the element being removed; end it at its end tag."""
    element = scan.removing
    hidden = "\n" * breaks if scan.bridged else _hidden(breaks)
    if not isinstance(token, Tag) or token.name != element.name:
        return hidden
    if not token.closing:
        if not (token.self_closing and element.name in _FOREIGN):
            scan.removing_depth += 1
        return hidden
    scan.removing_depth -= 1
    if scan.removing_depth:
        return hidden
    element.closed_at = line
    scan.removing = None
    if scan.bridged:
        scan.bridged = False
        return hidden + "</script>"
    return hidden


def _open(scan: _Scan, name: str, line: int) -> None:
    if name == "li":
        _close_item(scan, {"li"})
    elif name in ("dd", "dt"):
        _close_item(scan, {"dd", "dt"})
    if name in _VOID or name in _UNCOUNTED:
        return
    scan.stack.append(Element(name, line))
    if scan.depth() > MAX_DEPTH:
        raise _TooDeep(line)


def _close_item(scan: _Scan, names: set[str]) -> None:
    # A new list item closes the open one, unless a block stands between them.
    # The stack is never deeper than MAX_DEPTH, so these searches are bounded.
    for depth in range(len(scan.stack) - 1, -1, -1):
        name = scan.stack[depth].name
        if name in names:
            _pop(scan, depth)
            return
        if name in _SPECIAL and name not in ("div", "p"):
            return


def _close(scan: _Scan, name: str) -> None:
    """Close what the parser closes at an end tag, or less."""
    stack = scan.stack
    if name in _FORMATTING:
        _close_formatting(scan, name)
        return
    targets = _HEADINGS if name in _HEADINGS else {name}  # </h2> closes an <h3>
    stops = _LIST_ITEM_SCOPE if name == "li" else _SCOPE_BOUNDARIES
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].name in targets:
            _pop(scan, depth)
            return
        # A special element's end tag looks past all but the scope's boundaries;
        # any other end tag is ignored once a special element stands in its way.
        if stack[depth].name in (stops if name in _SPECIAL else _SPECIAL):
            return


def _close_formatting(scan: _Scan, name: str) -> None:
    stack = scan.stack
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].name == name:
            break
        if stack[depth].name in _SCOPE_BOUNDARIES:
            return
    else:
        return
    # With a block opened inside it, the parser's "adoption agency" moves the
    # elements around without closing any: nothing is counted as closed.
    if not any(element.name in _SPECIAL for element in stack[depth + 1 :]):
        _pop(scan, depth)


def _pop(scan: _Scan, depth: int) -> None:
    scan.reopenable += sum(e.name in _FORMATTING for e in scan.stack[depth + 1 :])
    del scan.stack[depth:]


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
        line = token.meta["line"]
        if token.type == "html_block" and (found := _unterminated(token.content)):
            scan.problems.append(_unclosed_block(*found, line))
        saved = scan.saved()
        try:
            token.content = _rewrite(scan, token.content, line)
        except _TooDeep as too_deep:
            # Show this piece as text: the page keeps it, and the parser behind
            # the sanitiser never sees the depth.
            scan.restore(saved)
            token.content = escapeHtml(token.content)
            if not scan.too_deep:
                scan.too_deep = True
                scan.problems.append(_too_deep(too_deep.line))
    if scan.unterminated_at:
        scan.problems.append(_unterminated_tag(scan.unterminated_at))
    for element in scan.swallowing:
        if not element.closed_at:
            scan.problems.append(_unclosed(element))
            break
    for name, line in scan.removed.items():
        scan.problems.append(_removed(name, line))


def _too_deep(line: int) -> Problem:
    return Problem(
        line,
        "html-too-deep",
        f"raw HTML is nested more than {MAX_DEPTH} elements deep; "
        "it is shown as text: close its elements or simplify it",
    )


def _unterminated_tag(line: int) -> Problem:
    return Problem(
        line,
        "unclosed-html",
        "a tag here has no closing \u201c>\u201d before the end of its HTML block, "
        "so it is shown as text: add the \u201c>\u201d",
    )


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
