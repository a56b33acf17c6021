"""Summaries of the body: word count, reading time, table of contents, excerpt."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import filterfalse

from markdown_it.token import Token

from broadsheet.rendering.document import Heading
from broadsheet.rendering.markdown import inline_text

WORDS_PER_MINUTE = 230
EXCERPT_WORDS = 60
TOC_LEVELS = frozenset({2, 3})

# "don't", "well-known", "1,000" and "3.14" are one word each.
_WORD = re.compile(r"\w+(?:['’.,\-]\w+)*")
# Punctuation that never joins two words in _WORD: a word never spans it, so it
# can become a space before the text is split into pieces.
_SEPARATORS = ';:!?()[]"“”‘…'
# Punctuation that joins words inside one ("don't", "1,000") but also sits at a
# word's edges ("word," "'quoted'"). None of it is a \w character, so a piece that
# is letters and digits once these are stripped is one run of \w characters:
# exactly one _WORD match.
_EDGE_JOINERS = ".,'’"
_CLOSING_PUNCTUATION = frozenset(".,;:!?…)")


def _inline_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    return (token for token in tokens if token.type == "inline")


def count_words(tokens: Sequence[Token]) -> int:
    """Count the words a reader reads in the body.

    Counts the text of paragraphs, headings, lists, tables and inline code in the
    body tokens. Notes (not in the body tokens), code blocks, raw HTML blocks,
    image alt text and note reference numbers are not counted.
    """
    # A word never spans whitespace or a separator, so count per piece between
    # them: a piece of letters and digits, perhaps with a joiner at its edges, is
    # one word (nearly all of them), and only the rest go through the regex, which
    # cost 3 ms of a 6,000-word article's render run over every piece. The
    # isalnum() filter runs in C; a Python loop over every piece cost 0.5 ms more.
    text = " ".join(inline_text(t) for t in _inline_tokens(tokens))
    for separator in _SEPARATORS:
        if separator in text:
            text = text.replace(separator, " ")
    pieces = text.split()
    rest = [
        piece
        for piece in filterfalse(str.isalnum, pieces)
        if not piece.strip(_EDGE_JOINERS).isalnum()
    ]
    return len(pieces) - len(rest) + len(_WORD.findall(" ".join(rest)))


def reading_minutes(word_count: int) -> int:
    """Return the reading time in whole minutes, at least 1."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def table_of_contents(tokens: Sequence[Token]) -> tuple[Heading, ...]:
    """List the body's top-level h2 and h3 headings, in order."""
    headings = []
    for index, token in enumerate(tokens):
        # level 0 leaves out headings quoted inside blockquotes or lists.
        if token.type == "heading_open" and token.level == 0:
            level = int(token.tag[1])
            if level in TOC_LEVELS:
                text = inline_text(tokens[index + 1]).strip()
                headings.append(Heading(level, text, str(token.attrGet("id"))))
    return tuple(headings)


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _prose_text(token: Token) -> str:
    """Return an inline token's text with marks (citations, notes) left out.

    A space the writer left before a mark is dropped when punctuation follows
    it, so "plainly [@key]." reads "plainly." and not "plainly .".
    """
    parts: list[str] = []
    after_mark = False
    for child in token.children or ():
        if child.type in ("citation", "footnote_ref"):
            after_mark = True
            continue
        if child.type in ("text", "code_inline"):
            if after_mark and parts and child.content[:1] in _CLOSING_PUNCTUATION:
                parts[-1] = parts[-1].rstrip()
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        after_mark = False
    return "".join(parts)


def excerpt(tokens: Sequence[Token], max_words: int = EXCERPT_WORDS) -> str:
    """Return plain text from the start of the body, cut to about max_words.

    Only paragraphs are used (no headings, tables or code). A cut falls on a word
    boundary and ends with "…", without punctuation before it. The result is
    plain text: escape it when putting it into HTML.
    """
    words: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open":
            words.extend(_prose_text(tokens[index + 1]).split())
            if len(words) > max_words:
                break
    if len(words) <= max_words:
        return " ".join(words)
    text = " ".join(words[:max_words])
    while text and (_is_punctuation(text[-1]) or text[-1].isspace()):
        text = text[:-1]
    return text + "…"
