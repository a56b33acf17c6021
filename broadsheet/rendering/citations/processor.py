"""The CSL processor: Pandoc's citeproc run as a subprocess, cached per request.

Pandoc's citeproc, run as the pandoc program shipped by pypandoc-binary, is the
one processor that formats the shipped styles correctly (see
docs/decisions/0005-csl-processor.md). One run costs 0.2-0.5 s, so a document's
citations go to it in one batch, in reading order, and the result is cached
in-process on the whole request: "Ibid." and short forms depend on what came
before, so single citations cannot be cached alone.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from broadsheet.rendering.citations import pandoc_html
from broadsheet.rendering.citations.syntax import CiteItem, Cluster

PANDOC_TIMEOUT_SECONDS = 60


@functools.lru_cache(maxsize=32)
def style_class(style: str) -> str:
    """Return a CSL style's class: "note" or "in-text"."""
    head = Path(style).read_text(encoding="utf-8")[:2000]
    match = re.search(r"<style\b[^>]*\bclass=\"([\w-]+)\"", head)
    return match[1] if match else "in-text"


def build_request(
    clusters: Sequence[Cluster], works: Mapping[str, dict[str, Any]]
) -> str:
    """Serialise what the processor needs: the cache key of format_citations()."""
    keys = sorted({item.key for cluster in clusters for item in cluster.items})
    payload = {
        "clusters": [
            [_pandoc_source(cluster), not cluster.in_note] for cluster in clusters
        ],
        "works": [dict(works[key], id=key) for key in keys],
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def _pandoc_source(cluster: Cluster) -> str:
    # Keys go in braces so any character the writer's key contains survives.
    def item_source(item: CiteItem) -> str:
        prefix = f"{item.prefix} " if item.prefix else ""
        dash = "-" if item.suppress_author else ""
        return f"{prefix}{dash}@{{{item.key}}}{item.suffix}"

    if cluster.narrative:
        item = cluster.items[0]
        locator = item.suffix.lstrip(", ").strip()
        return f"@{{{item.key}}}" + (f" [{locator}]" if locator else "")
    return "[" + ";".join(item_source(item) for item in cluster.items) + "]"


@functools.lru_cache(maxsize=1024)
def format_citations(
    style: str, request: str
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Format a document's citations with Pandoc's citeproc; cached per request.

    Returns, per cluster, (HTML in running text, HTML of its note, if the style
    made it one), and the bibliography as (key, entry HTML) in the style's order.
    """
    payload = json.loads(request)
    lines, note_number = [], 0
    for source, in_text in payload["clusters"]:
        if in_text:
            lines.append(f"{source}\n")
        else:
            # Already inside the writer's note: format it as note text.
            note_number += 1
            lines.append(f"x[^c{note_number}]\n\n[^c{note_number}]: {source}\n")
    ast = _run_pandoc(style, "\n".join(lines), payload["works"])
    cites: list[dict[str, Any]] = []
    pandoc_html.collect_cites(ast["blocks"], cites)
    formatted = tuple(pandoc_html.split_cite(cite) for cite in cites)
    return formatted, tuple(pandoc_html.bibliography_entries(ast["blocks"]))


def format_entry(style: str, work: dict[str, Any]) -> str:
    """Format one work as a bibliography entry (e.g. "Cite this article")."""
    request = json.dumps(
        {"clusters": [["[@{" + work["id"] + "}]", True]], "works": [work]},
        sort_keys=True,
        ensure_ascii=False,
    )
    _cites, bibliography = format_citations(str(style), request)
    return bibliography[0][1] if bibliography else ""


def _run_pandoc(style: str, markdown: str, works: list[dict[str, Any]]) -> dict:
    import pypandoc  # imported late: finding the binary costs time at start-up

    with tempfile.TemporaryDirectory(prefix="broadsheet-csl-") as tmp:
        references = Path(tmp) / "works.json"
        references.write_text(json.dumps(works, ensure_ascii=False), encoding="utf-8")
        command = [
            pypandoc.get_pandoc_path(),
            "--from=markdown",
            "--to=json",
            "--citeproc",
            f"--csl={style}",
            f"--bibliography={references}",
            "--metadata=lang:en-US",
            "--metadata=notes-after-punctuation:false",
        ]
        result = subprocess.run(
            command,
            input=markdown,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=PANDOC_TIMEOUT_SECONDS,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"pandoc failed: {result.stderr.strip()}")
    return json.loads(result.stdout)
