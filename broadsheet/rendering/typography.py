"""Typographic quotes and dashes for plain text such as titles (no Markdown)."""

from functools import lru_cache

from markdown_it import MarkdownIt

# The "zero" preset parses nothing but text; the two core rules are the same
# typographer the article bodies get, so titles and bodies match.
_PLAIN = MarkdownIt("zero", {"typographer": True}).enable(
    ["replacements", "smartquotes"]
)


@lru_cache(maxsize=4096)
def typeset(text: str) -> str:
    """Return `text` with curly quotes and real dashes, still plain text."""
    tokens = _PLAIN.parseInline(text)
    return "".join(child.content for token in tokens for child in token.children or [])
