"""Raw HTML split into tags, text and the rest, as the HTML standard's tokenizer
reads them, in one pass that never looks back.

Written by hand rather than taken from html.parser (Python's parser has been
quadratic on unclosed comments and tags, CVE-2025-6069) or html5lib (pure
Python, and its tree building is what must be avoided): rawhtml rewrites every
piece of raw HTML from these tokens, so the parser behind the sanitiser only
ever sees tags read here. A tag's attributes follow the standard's states, so a
"<" or ">" inside a quoted value stays inside it; quotes only open a value
after "=".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

# Elements whose content is text up to their own end tag (the standard's RCDATA,
# RAWTEXT and script data; script's "<!--" escapes are not followed: rawhtml
# removes a script's content whole, so where it ends is this module's choice).
RAW_TEXT = frozenset(
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed",
        "noframes", "noscript",
    }
)  # fmt: skip

_TAG_NAME = re.compile(r"[^\t\n\f />]*+")
_SPACES = re.compile(r"[\t\n\f ]*+")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f />=]*+")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f >]*+")
_COMMENT_END = re.compile(r"--!?>")
_SAFE_ATTRIBUTE_NAME = re.compile(r"[a-z_:][a-z0-9_.:-]*+")
# The common case in one match: a tag whose attributes are all names, each with
# at most one value, quoted or plainly unquoted. Anything else (a stray quote or
# "=", a lone "/") goes through _tag's walk of the standard's states. The match
# is anchored and reads no further than that walk would, so trying it first
# keeps the pass linear; it makes the tokenizer three times faster.
_PLAIN_TAG = re.compile(
    r"""<(/?)([A-Za-z][^\t\n\f />]*+)"""
    r"""((?:[\t\n\f ]++[^\t\n\f />="']++"""
    r"""(?:[\t\n\f ]*+=[\t\n\f ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f >"'=<`]++))?)*+)"""
    r"""[\t\n\f ]*+(/?)>"""
)
_PLAIN_ATTRIBUTE = re.compile(
    r"""[\t\n\f ]++([^\t\n\f />="']++)"""
    r"""(?:[\t\n\f ]*+=[\t\n\f ]*+(?:"([^"]*+)"|'([^']*+)'|([^\t\n\f >"'=<`]++)))?"""
)
_RAW_TEXT_ENDS = {
    name: re.compile(rf"</{name}[\t\n\f />]", re.IGNORECASE) for name in RAW_TEXT
}


class Tag(NamedTuple):
    """A start or end tag; `attributes` in source order, first of a name kept."""

    name: str
    closing: bool
    attributes: tuple[tuple[str, str], ...]
    self_closing: bool
    start: int
    end: int


class Text(NamedTuple):
    """Characters, as typed (character references are left for the parser)."""

    text: str
    start: int
    end: int


class Markup(NamedTuple):
    """What never reaches a page: a comment, a declaration, the content of a
    raw-text element (`raw_text` names it), or a tag the piece ends inside
    (`unterminated`)."""

    start: int
    end: int
    raw_text: str = ""
    unterminated: bool = False


Token = Tag | Text | Markup


@dataclass
class Tokenizer:
    """Reads pieces of raw HTML in turn. The reader decides which start tags open
    raw text (by setting `raw_text` when it gets one); raw text left open at the
    end of one piece goes on in the next, as it would in the parser."""

    raw_text: str = ""  # the element whose text is being read; "" in data

    def tokens(self, html: str) -> Iterator[Token]:
        position = 0
        while position < len(html):
            if self.raw_text:
                token = self._raw_text(html, position)
            else:
                token = self._data(html, position)
            yield token  # the reader may set raw_text before the next one
            position = token.end

    def _raw_text(self, html: str, position: int) -> Token:
        found = _RAW_TEXT_ENDS[self.raw_text].search(html, position)
        if found is None:
            return Markup(position, len(html), raw_text=self.raw_text)
        if found.start() > position:
            return Markup(position, found.start(), raw_text=self.raw_text)
        self.raw_text = ""
        return _tag(html, position)

    def _data(self, html: str, position: int) -> Token:
        opening = html.find("<", position)
        if opening < 0:
            return Text(html[position:], position, len(html))
        if opening > position:
            return Text(html[position:opening], position, opening)
        return _markup(html, position)


def _markup(html: str, position: int) -> Token:
    """What starts at a "<": a tag, a comment or declaration, or a plain "<"."""
    after = html[position + 1 : position + 3]
    if after[:1].isascii() and after[:1].isalpha():
        return _tag(html, position)
    if after[:1] == "/":
        if after[1:2].isascii() and after[1:2].isalpha():
            return _tag(html, position)
        if after[1:2] == ">":
            return Markup(position, position + 3)  # "</>" is dropped
        if not after[1:2]:
            return Text("</", position, position + 2)
        return _bogus_comment(html, position)
    if html.startswith("<!--", position):
        return _comment(html, position)
    if after[:1] in ("!", "?"):
        return _bogus_comment(html, position)
    return Text("<", position, position + 1)


def _comment(html: str, position: int) -> Markup:
    body = position + 4
    if html.startswith(">", body):
        return Markup(position, body + 1)  # "<!-->"
    if html.startswith("->", body):
        return Markup(position, body + 2)  # "<!--->"
    found = _COMMENT_END.search(html, body)
    return Markup(position, found.end() if found else len(html))


def _bogus_comment(html: str, position: int) -> Markup:
    # "<!DOCTYPE ...>", "<?php ... ?>", "</3>": up to the next ">".
    found = html.find(">", position)
    return Markup(position, found + 1 if found >= 0 else len(html))


def _tag(html: str, opening: int) -> Token:
    """The tag starting at `opening`: a "<", then a letter or "/" and a letter."""
    plain = _PLAIN_TAG.match(html, opening)
    if plain:
        attributes: dict[str, str] = {}
        for attribute in _PLAIN_ATTRIBUTE.finditer(plain[3]):
            value = attribute[2] or attribute[3] or attribute[4] or ""
            attributes.setdefault(attribute[1].lower(), value)
        closing, self_closing = plain[1] == "/", plain[4] == "/"
        name = plain[2].lower()
        items = tuple(attributes.items())
        return Tag(name, closing, items, self_closing, opening, plain.end())
    return _walked_tag(html, opening)


def _walked_tag(html: str, opening: int) -> Token:
    closing = html[opening + 1] == "/"
    name_start = opening + (2 if closing else 1)
    position = _TAG_NAME.match(html, name_start).end()
    name = html[name_start:position].lower()
    attributes = {}
    while True:
        position = _SPACES.match(html, position).end()
        if position >= len(html):
            return Markup(opening, len(html), unterminated=True)
        if html[position] == ">":
            return Tag(
                name, closing, tuple(attributes.items()), False, opening, position + 1
            )
        if html[position] == "/":
            position += 1
            if html.startswith(">", position):
                return Tag(
                    name,
                    closing,
                    tuple(attributes.items()),
                    True,
                    opening,
                    position + 1,
                )
            continue
        attribute, value, position = _attribute(html, position)
        if position < 0:
            return Markup(opening, len(html), unterminated=True)
        attributes.setdefault(attribute, value)


def _attribute(html: str, position: int) -> tuple[str, str, int]:
    """One attribute from its first character: (name, value, where it ends).

    The position is -1 when the text ends inside a quoted value."""
    # The first character belongs to the name whatever it is, even "=".
    end = _ATTRIBUTE_NAME.match(html, position + 1).end()
    name = html[position:end].lower()
    position = _SPACES.match(html, end).end()
    if not html.startswith("=", position):
        return name, "", position
    position = _SPACES.match(html, position + 1).end()
    quote = html[position : position + 1]
    if quote in ('"', "'"):
        closing = html.find(quote, position + 1)
        if closing < 0:
            return name, "", -1
        return name, html[position + 1 : closing], closing + 1
    end = _UNQUOTED_VALUE.match(html, position).end()
    return name, html[position:end], end


def written(tag: Tag, breaks: str = "") -> str:
    """The tag in a form every HTML parser reads alike: each attribute quoted and
    escaped (those with names outside the usual letters left out), `breaks` (line
    breaks, to keep line numbers) before its ">"."""
    if tag.closing:
        return f"</{tag.name}{breaks}>"
    attributes = "".join(
        f' {name}="{_quoted(value)}"'
        for name, value in tag.attributes
        if _SAFE_ATTRIBUTE_NAME.fullmatch(name)
    )
    return f"<{tag.name}{attributes}{' /' if tag.self_closing else ''}{breaks}>"


def _quoted(value: str) -> str:
    # "&" stays: character references mean what they meant as typed.
    return value.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
