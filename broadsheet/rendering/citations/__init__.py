"""Citations: Pandoc [@key, p. N] syntax, CSL formatting (cached), works cited.

Parsing happens inside markdown-it (a core rule before notes are numbered, so a
citation in running text can become a note in a note style). Formatting happens
after parsing: every citation of a document goes to the CSL processor in one
batch, in reading order, because "Ibid." and short forms depend on that order.
The processor is Pandoc's citeproc, run as the pandoc program shipped by
pypandoc-binary; see docs/decisions/0005-csl-processor.md for why.

One module a job, in the order a document meets them: `syntax` reads clusters
and narrative citations out of text, `locators` reads their locators,
`placement` puts a note style's marks after punctuation, `plugin` is the
markdown-it rule and renderer, `resolution` checks and formats them all,
`processor` runs pandoc and caches its answers, `pandoc_html` turns its AST
into HTML and `works_cited` builds the list at the end.
"""

from broadsheet.rendering.citations.locators import parse_locator
from broadsheet.rendering.citations.plugin import begin, citations_plugin
from broadsheet.rendering.citations.processor import format_entry
from broadsheet.rendering.citations.resolution import resolve

__all__ = ["begin", "citations_plugin", "format_entry", "parse_locator", "resolve"]
