"""Render Markdown source to a RenderedDocument: the public surface of rendering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from broadsheet.rendering import markdown, notes, sanitize, summary
from broadsheet.rendering.document import Heading, Note, Problem, RenderedDocument

__all__ = [
    "PIPELINE_VERSION",
    "Heading",
    "Note",
    "Problem",
    "RenderedDocument",
    "render",
]

# Stored with every rendered article; bump it whenever the output for the same
# source changes, so stale stored HTML can be found and re-rendered.
PIPELINE_VERSION = 1


def render(
    source: str,
    *,
    works: Mapping[str, dict[str, Any]] | None = None,
    style: str | None = None,
) -> RenderedDocument:
    """Render Markdown source to a RenderedDocument.

    works (citation key -> CSL-JSON) and style (a CSL style name) are accepted for
    the citations feature and ignored for now.
    """
    tokens, env = markdown.parse(source)
    html = sanitize.clean(markdown.render_tokens(tokens, env))
    rendered_notes = notes.build_notes(
        env, lambda body: sanitize.clean(markdown.render_tokens(body, env))
    )
    word_count = summary.count_words(tokens)
    return RenderedDocument(
        html=html,
        notes_html=notes.render_notes_section(rendered_notes),
        notes=rendered_notes,
        toc=summary.table_of_contents(tokens),
        word_count=word_count,
        reading_minutes=summary.reading_minutes(word_count),
        excerpt=summary.excerpt(tokens),
        problems=notes.find_problems(env),
    )
