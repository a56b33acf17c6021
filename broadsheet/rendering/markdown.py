"""The markdown-it-py parser: CommonMark, GFM tables, typography, notes, heading ids."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from broadsheet.rendering import notes
from broadsheet.rendering.document import Problem

# Ids the notes markup owns; a heading slugged to one of them gets a suffix
# so that a section called "Note 1" cannot hijack the link to note 1.
_RESERVED_ID = re.compile(r"note-\d+|noteref-\d+(?:-\d+)?|notes-heading")
_NON_SLUG = re.compile(r"[^\w\s-]")
_SLUG_GAPS = re.compile(r"[\s-]+")


def inline_text(token: Token) -> str:
    """Return the plain text of an inline token, without note reference numbers."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def slugify(text: str) -> str:
    """Turn heading text into an id the way GitHub does, keeping non-Latin letters."""
    slug = _SLUG_GAPS.sub("-", _NON_SLUG.sub("", text.lower())).strip("-")
    return slug or "section"


def _add_heading_ids(state: StateCore) -> None:
    used: set[str] = set()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = slugify(inline_text(tokens[index + 1]))
        if _RESERVED_ID.fullmatch(base):
            base += "-section"
        slug, count = base, 1
        while slug in used:
            count += 1
            slug = f"{base}-{count}"
        used.add(slug)
        token.attrSet("id", slug)


def heading_ids_plugin(md: MarkdownIt) -> None:
    """Give every heading an id unique within the document."""
    # Pushed last so that slugs see the final text (after smart quotes and joins).
    md.core.ruler.push("heading_ids", _add_heading_ids)


def _normalize(state: StateCore) -> None:
    # markdown-it-py's own rule substitutes every "\n" with itself through a
    # regex, half a millisecond of a long article's render; str methods find the
    # rare "\r" and NUL without that, and leave the same text.
    source = state.src
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source:
        source = source.replace("\0", "\ufffd")
    state.src = source


# markdown-it stops parsing blocks nested this deep and drops the rest of the
# enclosing block, silently (CommonMark preset: 20, so a list ten levels deep
# lost everything after it). 100, markdown-it's own default preset, keeps
# recursion well inside Python's limit; past it, _tokenize reports the loss.
MAX_NESTING = 100


def _tokenize(state: StateBlock, start_line: int, end_line: int) -> None:
    if state.level >= state.md.options.maxNesting:
        line = state.skipEmptyLines(start_line)
        if line < end_line and state.sCount[line] >= state.blkIndent:
            state.env.setdefault(_NESTING_KEY, []).append(
                Problem(
                    line + 1,
                    "nesting-too-deep",
                    f"lists and quotes are nested more than {MAX_NESTING} levels "
                    f"deep here, so the text from line {line + 1} on cannot be "
                    "shown: nest them less deeply",
                )
            )
    _block_tokenize(state, start_line, end_line)


ALIGNMENTS = {
    f"text-align:{side}": f"align-{side}" for side in ("left", "center", "right")
}


def _alignment_classes(state: StateCore) -> None:
    """Table column alignment as a class, not markdown-it's style attribute: the
    site's Content-Security-Policy allows no inline style (serving.policy)."""
    for token in state.tokens:
        style = token.attrs.get("style") if token.type in _CELLS else None
        if style in ALIGNMENTS:
            del token.attrs["style"]
            token.attrSet("class", ALIGNMENTS[style])


_CELLS = {"th_open", "td_open"}


def find_problems(env: dict[str, Any]) -> tuple[Problem, ...]:
    """Return the problems the parser itself met (blocks nested too deep)."""
    return tuple(env.get(_NESTING_KEY, ())[:1])


md = (
    MarkdownIt(
        "commonmark", {"typographer": True, "html": True, "maxNesting": MAX_NESTING}
    )
    .enable(["table", "strikethrough", "replacements", "smartquotes"])
    # The notes plugin takes over from the footnote plugin's tail rule, so that
    # unused and duplicate definitions are reported instead of silently dropped.
    .use(footnote_plugin, move_to_end=False)
    .use(heading_ids_plugin)
    .use(notes.notes_plugin)
)
md.core.ruler.at("normalize", _normalize)
md.core.ruler.push("alignment_classes", _alignment_classes)
_NESTING_KEY = "broadsheet_nesting"
_block_tokenize = md.block.tokenize
# Block rules (lists, quotes) call md.block.tokenize for their content.
md.block.tokenize = _tokenize

# The characters an enabled inline rule starts at, and "]", which ends a link's
# label. markdown-it-py's text rule stops at 23 characters, some kept for rules
# this dialect does not enable ("-", ":", "@", "$", ...); at each stop every
# inline rule is tried in turn, and no rule takes "-" or ":": 2 ms of a long
# article's render. Enabling an inline rule means adding its characters here
# (tests/rendering/test_markdown.py compares with markdown-it-py's own set).
INLINE_RULE_CHARACTERS = {
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[]",
    "image": "!",
    "footnote_inline": "^",
    "footnote_ref": "[",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
md.inline.terminator_re = re.compile(
    "["
    + re.escape("".join(sorted(set("".join(INLINE_RULE_CHARACTERS.values())))))
    + "]"
)


def parse(source: str) -> tuple[list[Token], dict[str, Any]]:
    """Parse Markdown source into body tokens and the environment holding notes."""
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    return tokens, env


def render_tokens(tokens: Sequence[Token], env: dict[str, Any]) -> str:
    """Render tokens to (unsanitised) HTML."""
    return md.renderer.render(tokens, md.options, env)
