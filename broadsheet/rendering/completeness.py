"""Nothing typed vanishes: every piece of text the parser read reaches the page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from markdown_it.token import Token

from broadsheet.rendering.notes import inline_children

# Sanitised HTML is serialised by the sanitiser's parser: text is escaped, so
# every "<" left is a tag's. A ">" inside an attribute value ends a tag early
# here, which adds text and so can only hide a loss, never invent one.
_TAG = re.compile(r"<[^<>]*+>")
_SNIPPET = 40


def shown_text(sanitised_html: str) -> str:
    """Return the text a reader sees in sanitised HTML."""
    return html.unescape(_TAG.sub("", sanitised_html))


def first_missing(
    tokens: Sequence[Token],
    sanitised_html: str,
    *,
    excused: Callable[[int], bool] = lambda line: False,
) -> tuple[int, str]:
    """Return (line, text) of the first text token not shown, in order, or (0, "").

    Raw HTML can swallow Markdown text around it: an unclosed <textarea> or
    <select>, or text inside an element the sanitiser removes with its content.
    Text on a line for which excused(line) is true is passed over, and not
    looked for: removed text found further on (an <svg> label, a word in a
    <math>) would move the search past text that is on the page.
    """
    shown = shown_text(sanitised_html)
    position = 0
    for child, line in inline_children(tokens):
        if child.type != "text" or not child.content.strip() or excused(line):
            continue
        piece = child.content.strip()
        found = shown.find(piece, position)
        if found < 0:
            snippet = piece if len(piece) <= _SNIPPET else piece[:_SNIPPET] + "…"
            return line, snippet
        position = found + len(piece)
    return 0, ""
