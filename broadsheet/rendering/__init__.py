"""Render Markdown source to a RenderedDocument: the public surface of rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markdown_it.token import Token

from broadsheet.rendering import (
    budget,
    citations,
    completeness,
    markdown,
    notes,
    rawhtml,
    sanitize,
    summary,
)
from broadsheet.rendering import images as media_images
from broadsheet.rendering.document import (
    ERROR,
    WARNING,
    CitationUse,
    Heading,
    Note,
    Problem,
    RenderedDocument,
)
from broadsheet.rendering.typography import typeset

__all__ = [
    "ERROR",
    "PIPELINE_VERSION",
    "WARNING",
    "CitationUse",
    "Heading",
    "Note",
    "Problem",
    "RenderedDocument",
    "render",
    "typeset",
]

# Stored with every rendered article; bump it whenever the output for the same
# source changes, so stale stored HTML can be found and re-rendered.
PIPELINE_VERSION = 8

markdown.md.use(citations.citations_plugin).use(rawhtml.raw_html_plugin)
markdown.md.use(budget.budget_plugin).use(media_images.images_plugin)


def render(
    source: str,
    *,
    works: Mapping[str, dict[str, Any]] | None = None,
    style: str | None = None,
    images: Mapping[int, Mapping[str, Any]] | None = None,
    budget_seconds: float = budget.DEFAULT_SECONDS,
) -> RenderedDocument:
    """Render Markdown source to a RenderedDocument.

    works maps citation keys to CSL-JSON and style is the path of a CSL file.
    Without works, Pandoc citation syntax is left as text; with works, every
    citation is resolved and an unknown key is a problem. images maps media
    library ids to their facts (src, srcset, sizes, width, height, alt, credit)
    for ![alt](media:ID); an id missing from it is a problem. A render that takes
    longer than budget_seconds stops between stages and returns a document whose
    only content is a "render-over-budget" problem.
    """
    env: dict[str, Any] = {}
    deadline = budget.start(env, budget_seconds)
    try:
        media_images.begin(env, images)
        return _render(source, env, deadline, works=works, style=style)
    except budget.OverBudget as over:
        return _over_budget(over)


def _render(
    source: str,
    env: dict[str, Any],
    deadline: budget.Deadline,
    *,
    works: Mapping[str, dict[str, Any]] | None,
    style: str | None,
) -> RenderedDocument:
    if works is not None:
        citations.begin(env, style=style)
    tokens = markdown.md.parse(source, env)
    # `is None`, not `or`: the truth of a lazy mapping (content's WorkLookup) is
    # its length, and asking it would read the whole bibliography for every render.
    cited = citations.resolve(
        tokens, env, works={} if works is None else works, style=style or ""
    )
    deadline.check("formatting citations")
    missing: list[Problem] = []
    html = _clean(tokens, env, missing)
    deadline.check("rendering the body")
    rendered_notes = notes.build_notes(env, lambda body: _clean(body, env, missing))
    deadline.check("rendering the notes")
    word_count = summary.count_words(tokens)
    return RenderedDocument(
        html=html,
        notes_html=notes.render_notes_section(rendered_notes),
        notes=rendered_notes,
        toc=summary.table_of_contents(tokens),
        word_count=word_count,
        reading_minutes=summary.reading_minutes(word_count),
        excerpt=summary.excerpt(tokens),
        problems=tuple(
            sorted(
                notes.find_problems(env)
                + markdown.find_problems(env)
                + rawhtml.find_problems(env)
                + media_images.find_problems(env)
                + tuple(missing[:1])
                + cited.problems,
                key=lambda p: (p.line, p.code),
            )
        ),
        citations=cited.citations,
        bibliography_html=sanitize.clean(cited.bibliography_html),
    )


def _clean(tokens: Sequence[Token], env: dict[str, Any], missing: list[Problem]) -> str:
    """Render and sanitise tokens; note in missing any text that did not survive."""
    html = sanitize.clean(markdown.render_tokens(tokens, env))
    # Inside a closed <script>, <iframe>...: its html-removed warning says so.
    excused = rawhtml.removed_on_purpose(env)
    line, text = completeness.first_missing(tokens, html, excused=excused)
    if line:
        element = rawhtml.swallowed_by(env, line)
        cause = (
            f": it is inside <{element.name}> (line {element.line}), "
            "which the page removes"
            if element
            else ""
        )
        missing.append(
            Problem(
                line,
                "text-vanished",
                f"the text \u201c{text}\u201d is missing from the page{cause}",
            )
        )
    return html


def _over_budget(over: budget.OverBudget) -> RenderedDocument:
    message = (
        f"{over}; the text is too long or its markup too deeply nested "
        "to render, so nothing of it is shown: split it or simplify the markup"
    )
    return RenderedDocument(
        html="",
        notes_html="",
        notes=(),
        toc=(),
        word_count=0,
        reading_minutes=1,
        excerpt="",
        problems=(Problem(1, "render-over-budget", message),),
    )
