"""Citation resolution: check each parsed citation against the works, format all.

Runs once per document after parsing, because the processor needs every
citation at once and in the order a reader meets them, each note's citations
where the note is referenced. A citation with a problem (unknown key, a work
the style cannot cite) is not sent to the processor and shows as the writer
typed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from broadsheet.rendering import notes
from broadsheet.rendering.citations.plugin import parse_state
from broadsheet.rendering.citations.processor import (
    build_request,
    format_citations,
    style_class,
)
from broadsheet.rendering.citations.syntax import Cluster
from broadsheet.rendering.citations.works_cited import works_cited
from broadsheet.rendering.document import CitationUse, Problem

# Fields a work needs before any shipped style can cite it; author-date styles
# also need a date, or every citation reads "n.d.".
REQUIRED_FIELDS = ("title",)
AUTHOR_DATE_REQUIRED_FIELDS = ("issued",)


@dataclass(frozen=True, slots=True)
class CitationResult:
    """What resolving citations adds to a RenderedDocument."""

    citations: tuple[CitationUse, ...]
    bibliography_html: str
    problems: tuple[Problem, ...]


def _reading_order(tokens: Sequence[Token], env: dict[str, Any]) -> list[Cluster]:
    """Return clusters as a reader meets them: each note where it is referenced."""
    state = parse_state(env)
    note_state = notes._state(env)
    seen_notes: set[int] = set()
    seen: set[int] = set()
    order: list[Cluster] = []

    def walk(block_tokens: Sequence[Token]) -> None:
        for token in block_tokens:
            for child in token.children or ():
                if child.type == "citation" and child.meta["cluster"] not in seen:
                    seen.add(child.meta["cluster"])
                    order.append(state.clusters[child.meta["cluster"]])
                elif child.type == "footnote_ref":
                    note_id = child.meta["id"]
                    if note_id not in seen_notes and note_id in note_state.bodies:
                        seen_notes.add(note_id)
                        walk(note_state.bodies[note_id])

    walk(tokens)
    return order


def _work_problems(cluster: Cluster, works: Mapping[str, dict[str, Any]], style: str):
    for item in cluster.items:
        work = works.get(item.key)
        if work is None:
            yield Problem(
                cluster.line,
                "unknown-citation",
                f"citation key @{item.key} is not in the bibliography",
            )
            continue
        needed = REQUIRED_FIELDS
        if style_class(style) != "note":
            needed = needed + AUTHOR_DATE_REQUIRED_FIELDS
        missing = [name for name in needed if not work.get(name)]
        if not (work.get("author") or work.get("editor") or work.get("title")):
            missing.append("author")
        if missing:
            yield Problem(
                cluster.line,
                "incomplete-work",
                f"work @{item.key} lacks {', '.join(missing)}, which "
                f"{Path(style).stem} needs",
            )


def resolve(
    tokens: Sequence[Token],
    env: dict[str, Any],
    *,
    works: Mapping[str, dict[str, Any]],
    style: str | Path,
) -> CitationResult:
    """Check and format every citation parsed into env; build the works cited."""
    state = parse_state(env)
    if state is None or not (state.clusters or state.problems):
        return CitationResult((), "", ())
    style = str(style)
    order = _reading_order(tokens, env)
    problems: list[Problem] = list(state.problems)
    for number, cluster in enumerate(order, start=1):
        cluster.anchor = f"cite-{number}"
        cluster.problems.extend(_work_problems(cluster, works, style))
        problems.extend(cluster.problems)
    valid = [cluster for cluster in order if not cluster.problems]
    uses = tuple(
        CitationUse(
            key=item.key,
            label=item.label,
            locator=item.locator,
            line=cluster.line,
            anchor=cluster.anchor,
            passage=cluster.passage,
        )
        for cluster in order
        if not cluster.problems
        for item in cluster.items
    )
    if not valid:
        return CitationResult(uses, "", tuple(problems))
    request = build_request(valid, works)
    formatted, bibliography = format_citations(style, request)
    for cluster, (text_html, note_html) in zip(valid, formatted, strict=True):
        if cluster.in_note and cluster.before_punctuation:
            # The style ends a note with a full stop; here the writer's own
            # punctuation follows, inside their note.
            text_html = text_html.removesuffix(".")
        cluster.text_html, cluster.note_html = text_html, note_html
    return CitationResult(uses, works_cited(bibliography, order), tuple(problems))
