"""A post's HTML written again well formed, before BeautifulSoup's html.parser reads it.

Python 3.11's html.parser scans to the end of the text again at every "<" it
cannot close (CVE-2025-6069 and its kin): 40,000 repeats of `<a b='` took 97 s,
of `<!-- ` 8 s, quadratic. The export is read here once, linearly, by the
renderer's own tokenizer (rendering.html_tokens, the HTML standard's states),
and written out with every tag closed and every attribute quoted, so the parser
never meets a construct it cannot finish. What the conversion would drop anyway
is left out here (comments, which carry no text; script and style content); a
tag the text ends inside is kept as text rather than lost.
"""

from __future__ import annotations

import re

from broadsheet.rendering.html_tokens import (
    Tag,
    Text,
    Tokenizer,
    written,
)

_NAME = re.compile(r"[a-z][a-z0-9_.:-]*+")  # of an element
_RAW_TEXT = frozenset({"script", "style"})  # content dropped: never converted


def well_formed(html: str) -> str:
    """The HTML with the same tags, text and attribute values, in a form that
    html.parser reads in one pass."""
    tokenizer = Tokenizer()
    out: list[str] = []
    for token in tokenizer.tokens(html):
        if isinstance(token, Tag):
            out.append(_written(token))
            # As html.parser reads them: only these hold raw text, and "/>"
            # closes them (an SVG <script/> keeps the text after it).
            if token.name in _RAW_TEXT and not (token.closing or token.self_closing):
                tokenizer.raw_text = token.name
        elif isinstance(token, Text):
            out.append(token.text.replace("<", "&lt;"))
        elif token.unterminated:
            out.append(html[token.start : token.end].replace("<", "&lt;"))
    return "".join(out)


def _written(tag: Tag) -> str:
    if not _NAME.fullmatch(tag.name):
        return ""  # not an element name the conversion knows: its content stays
    return written(tag)
