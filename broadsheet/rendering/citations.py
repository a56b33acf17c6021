"""Citations: Pandoc [@key, p. N] syntax, CSL formatting (cached), works cited.

Parsing happens inside markdown-it (a core rule before notes are numbered, so a
citation in running text can become a note in a note style). Formatting happens
after parsing: every citation of a document goes to the CSL processor in one
batch, in reading order, because "Ibid." and short forms depend on that order.
The processor is Pandoc's citeproc, run as the pandoc program shipped by
pypandoc-binary; see docs/decisions/0005-csl-processor.md for why.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from broadsheet.rendering import notes
from broadsheet.rendering.document import CitationUse, Problem

_ENV_KEY = "broadsheet_citations"
_KEY = r"(?:\{(?P<braced>[^{}\s]+)\}|(?P<plain>\w(?:[\w:.#$%&+?<>~/-]*\w)?))"
# Every pattern here runs on writers' text, so each is linear: no two
# quantifiers can share characters, and possessive forms (Python 3.11) keep a
# failed match from retrying shorter runs.
# A bracketed cluster: at least one @key inside [ ], nothing bracketed inside.
# Finding the brackets first and the @key inside second keeps each "[" scanning
# only to the next bracket.
_BRACKETED = re.compile(r"\[(?P<body>[^\[\]]*+)\]")
_CITES_A_KEY = re.compile(r"(?:^|[^\w.])-?@[{\w]")
# A "[" whose text runs to the next "[" or the end of the text without a "]".
_UNCLOSED = re.compile(r"\[(?P<body>[^\[\]]*+)(?!\])")
_NOTE_MARK_START = re.compile(r"\[\^|\^\[")
# Punctuation a note mark is moved after, in note styles.
NOTE_PUNCTUATION = ".,;:!?…"
_ITEM = re.compile(
    r"^(?P<prefix>(?:.*?\s)?)(?P<suppress>-?)@" + _KEY + r"(?P<suffix>.*)$", re.S
)
# A narrative citation: @key not glued to a word (e-mail addresses) nor to "[".
_NARRATIVE = re.compile(
    r"(?<![\w.@\[-])@" + _KEY + r"(?:\s\[(?P<locator>[^\[\]@]*)\])?"
)

# Locator terms Pandoc recognises in English, mapped to CSL locator labels.
LOCATOR_LABELS = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "chap.": "chapter", "chaps.": "chapter", "ch.": "chapter", "chapter": "chapter",
    "sec.": "section", "secs.": "section", "section": "section", "§": "section",
    "§§": "section", "vol.": "volume", "vols.": "volume", "volume": "volume",
    "fig.": "figure", "figs.": "figure", "figure": "figure",
    "para.": "paragraph", "paras.": "paragraph", "¶": "paragraph",
    "n.": "note", "nn.": "note", "note": "note", "l.": "line", "ll.": "line",
    "line": "line", "col.": "column", "cols.": "column", "column": "column",
    "no.": "issue", "pt.": "part", "part": "part", "bk.": "book", "book": "book",
    "fol.": "folio", "fols.": "folio", "op.": "opus", "v.": "verse", "vv.": "verse",
    "s.v.": "sub verbo", "art.": "article", "t.": "title",
}  # fmt: skip
_LOCATOR = re.compile(
    r"^\s*+,?+\s*+(?P<label>"
    + "|".join(re.escape(label) for label in sorted(LOCATOR_LABELS, key=len)[::-1])
    + r")(?=\s|\d|$)\s*+(?P<value>[^,;]*+)(?P<rest>.*)$",
    re.I | re.S,
)
# One-word suffixes that are not locators but stand where one goes.
FREE_SUFFIXES = frozenset({"passim", "ff.", "f.", "n.d."})
# A locator value is parts joined by ",", "&" or "and", each a page-like bound
# or a range of two; split with plain string methods, so that "1and1and1"
# cannot be read in exponentially many ways.
_PART_SEPARATOR = re.compile(r",|&|and")
_RANGE_DASH = re.compile(r"[-–—]")
_ROMAN_OR_NUMBER = re.compile(r"(?:\d++[a-z]?|[ivxlcdm]++|[IVXLCDM]++)$")
# A bare page locator ends at a "," or ";" that does not start another number.
_LOCATOR_END = re.compile(r"[,;](?!\s*+\d)")

# Fields a work needs before any shipped style can cite it; author-date styles
# also need a date, or every citation reads "n.d.".
REQUIRED_FIELDS = ("title",)
AUTHOR_DATE_REQUIRED_FIELDS = ("issued",)
PANDOC_TIMEOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work cited inside a cluster, as the writer typed it."""

    key: str
    prefix: str = ""
    suffix: str = ""
    label: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass
class Cluster:
    """One citation as written: [@a, p. 4; @b] or a narrative @a."""

    index: int
    source: str
    items: tuple[CiteItem, ...]
    line: int
    in_note: bool
    narrative: bool
    as_note: bool = False
    before_punctuation: bool = False
    passage: str = ""
    problems: list[Problem] = field(default_factory=list)
    anchor: str = ""
    text_html: str = ""
    note_html: str = ""


@dataclass
class _State:
    enabled: bool = False
    note_style: bool = False
    clusters: list[Cluster] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # outside any cluster


@dataclass(frozen=True, slots=True)
class CitationResult:
    """What resolving citations adds to a RenderedDocument."""

    citations: tuple[CitationUse, ...]
    bibliography_html: str
    problems: tuple[Problem, ...]


def begin(env: dict[str, Any], *, style: str | Path | None) -> None:
    """Switch citation parsing on for one parse, in the style's class."""
    if style is None:
        raise ValueError("a CSL style path is needed to render citations")
    env[_ENV_KEY] = _State(enabled=True, note_style=style_class(str(style)) == "note")


@functools.lru_cache(maxsize=32)
def style_class(style: str) -> str:
    """Return a CSL style's class: "note" or "in-text"."""
    head = Path(style).read_text(encoding="utf-8")[:2000]
    match = re.search(r"<style\b[^>]*\bclass=\"([\w-]+)\"", head)
    return match[1] if match else "in-text"


def parse_locator(suffix: str) -> tuple[str, str, bool]:
    """Split a suffix into (CSL label, locator value); flag a malformed one.

    A suffix that starts with a number is a page locator, as in Pandoc.
    """
    text = suffix.strip()
    if not text:
        return "", "", True
    if text.startswith(","):
        text = text[1:].strip()
    if text[:1].isdigit():
        value = _LOCATOR_END.split(text, maxsplit=1)[0].strip()
        return "page", value, _is_valid_value(value)
    match = _LOCATOR.match(text)
    if not match:
        return "", "", True
    label = LOCATOR_LABELS[match["label"].lower()]
    value = match["value"].strip()
    return label, value, _is_valid_value(value)


def _is_valid_value(value: str) -> bool:
    if not value:
        return False
    for part in _PART_SEPARATOR.split(value):
        bounds = [bound.strip() for bound in _RANGE_DASH.split(part)]
        if len(bounds) > 2 or not all(map(_ROMAN_OR_NUMBER.match, bounds)):
            return False
        numeric = len(bounds) == 2 and all(bound.isdigit() for bound in bounds)
        if numeric and int(bounds[1]) < int(bounds[0]):
            return False
    return True


def _is_stray_word(suffix: str) -> bool:
    """Say whether ", word" sits where a locator goes but is no locator.

    A longer suffix ("emphasis added") is the writer's own words, as in Pandoc;
    one word after the comma is a locator that went wrong ("zz", "pg4").
    """
    if not suffix.lstrip().startswith(","):
        return False
    words = suffix.strip(" ,").split()
    return (
        len(words) == 1
        and words[0].lower() not in FREE_SUFFIXES
        and not _ROMAN_OR_NUMBER.match(words[0])
    )


def _key(match: re.Match[str]) -> str:
    return match["braced"] or match["plain"]


def _parse_items(body: str, line: int) -> tuple[tuple[CiteItem, ...], list[Problem]]:
    items, problems = [], []
    for part in body.split(";"):
        match = _ITEM.match(part)
        if not match:
            problems.append(
                Problem(line, "malformed-citation", f"cannot read citation [{body}]")
            )
            continue
        key, suffix = _key(match), match["suffix"]
        label = value = ""
        if suffix.strip():
            label, value, ok = parse_locator(suffix)
            looks_like_locator = bool(label) or suffix.strip(" ,")[:1].isdigit()
            if not looks_like_locator and _is_stray_word(suffix):
                problems.append(
                    Problem(
                        line,
                        "not-a-locator",
                        f"citation @{key} has \u201c{suffix.strip(' ,')}\u201d "
                        "where a locator goes: write a term and a number, "
                        "such as \u201cp. 4\u201d or \u201cchap. 2\u201d",
                    )
                )
            elif looks_like_locator and not ok:
                problems.append(
                    Problem(
                        line,
                        "malformed-locator",
                        f"citation @{key} has a malformed locator "
                        f"\u201c{suffix.strip(' ,')}\u201d",
                    )
                )
        items.append(
            CiteItem(
                key=key,
                prefix=match["prefix"].strip(),
                suffix=suffix,
                label=label,
                locator=value,
                suppress_author=bool(match["suppress"]),
            )
        )
    return tuple(items), problems


def _clusters(text: str) -> Iterator[re.Match[str]]:
    """Yield each bracketed citation cluster in text, in order."""
    return (
        match
        for match in _BRACKETED.finditer(text)
        if _CITES_A_KEY.search(match["body"])
    )


def _split_text(
    content: str, line: int, in_note: bool, state: _State
) -> list[tuple[str, Cluster | None]]:
    """Cut a text token into plain text and clusters, in order."""
    spans: list[tuple[int, int, Cluster]] = []
    for match in _clusters(content):
        items, problems = _parse_items(match["body"], line)
        spans.append(
            (
                match.start(),
                match.end(),
                _new_cluster(state, match[0], items, line, in_note, False, problems),
            )
        )
    for match in _UNCLOSED.finditer(content):
        if _CITES_A_KEY.search(match["body"]):
            shown = match[0] if len(match[0]) <= 40 else match[0][:40] + "…"
            state.problems.append(
                Problem(
                    line,
                    "unclosed-citation",
                    f"citation \u201c{shown}\u201d has no closing \u201c]\u201d "
                    "on its line",
                )
            )
    # Clusters come in order and never overlap: the last one starting at or
    # before a narrative @key is the only one that can contain it.
    starts = [start for start, _end, _cluster in spans]
    for match in _NARRATIVE.finditer(content):
        inside = bisect.bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < spans[inside][1]:
            continue
        suffix = match["locator"] or ""
        items, problems = _parse_items(
            f"@{{{_key(match)}}}" + (f", {suffix}" if suffix else ""), line
        )
        cluster = _new_cluster(state, match[0], items, line, in_note, True, problems)
        spans.append((match.start(), match.end(), cluster))
    spans.sort(key=lambda span: span[0])
    for _start, end, cluster in spans:
        cluster.before_punctuation = content[end : end + 1] in (".", ",", ";", ":")
    pieces: list[tuple[str, Cluster | None]] = []
    position = 0
    for start, end, cluster in spans:
        if start > position:
            pieces.append((content[position:start], None))
        pieces.append((content[start:end], cluster))
        position = end
    if position < len(content):
        pieces.append((content[position:], None))
    return pieces


def _new_cluster(state, source, items, line, in_note, narrative, problems) -> Cluster:
    cluster = Cluster(
        index=len(state.clusters),
        source=source,
        items=items,
        line=line,
        in_note=in_note,
        narrative=narrative,
        problems=problems,
    )
    state.clusters.append(cluster)
    return cluster


def _citation_token(cluster: Cluster, part: str) -> Token:
    token = Token("citation", "", 0)
    token.meta = {"cluster": cluster.index, "part": part}
    return token


def _text_token(text: str) -> Token:
    token = Token("text", "", 0)
    token.content = text
    return token


def _take_punctuation(pieces: list[tuple[str, Cluster | None]], index: int) -> str:
    """Remove and return the punctuation that opens pieces[index], if plain text."""
    if index >= len(pieces) or pieces[index][1] is not None:
        return ""
    text = pieces[index][0]
    rest = text.lstrip(NOTE_PUNCTUATION)
    pieces[index] = (rest, None)
    return text[: len(text) - len(rest)]


def _place_note_mark(out: list[Token], punctuation: str) -> None:
    # A note mark follows the word with no space, and follows the punctuation
    # after it, as Pandoc places notes for note styles (Chicago 14.21).
    if out and out[-1].type == "text":
        out[-1].content = out[-1].content.rstrip()
    if punctuation:
        out.append(_text_token(punctuation))


def _scan(state: StateCore) -> None:
    cites = state.env.get(_ENV_KEY)
    if cites is None or not cites.enabled:
        return
    inline_notes = state.env.setdefault("footnotes", {}).setdefault("list", {})

    def rewrite(children: list[Token], line: int, in_note: bool) -> list[Token]:
        out: list[Token] = []
        if not any(child.type in ("text", "footnote_ref") for child in children):
            return children
        for child in children:
            if child.type == "footnote_ref" and "label" not in child.meta:
                entry = inline_notes.get(child.meta["id"], {})
                entry["tokens"] = rewrite(entry.get("tokens", []), line, True)
            if child.type != "text" or "@" not in child.content:
                out.append(child)
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                continue
            pieces = _split_text(child.content, line, in_note, cites)
            for index, (text, cluster) in enumerate(pieces):
                if cluster is None:
                    if text:
                        out.append(_text_token(text))
                elif in_note or not cites.note_style:
                    out.append(_citation_token(cluster, "text"))
                else:
                    # A note style turns a citation in running text into a note,
                    # numbered with the writer's own notes (CSL spec, "Notes").
                    cluster.as_note = True
                    punctuation = _take_punctuation(pieces, index + 1)
                    _place_note_mark(out, punctuation)
                    out.append(_citation_token(cluster, "open"))
                    note_id = len(inline_notes)
                    inline_notes[note_id] = {
                        "content": text,
                        "tokens": [_citation_token(cluster, "note")],
                    }
                    ref = Token("footnote_ref", "", 0)
                    ref.meta = {"id": note_id}
                    out.append(ref)
                    out.append(_citation_token(cluster, "close"))
        return out

    depth, line = 0, 1
    for token in state.tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type == "footnote_reference_open":
            depth += 1
        elif token.type == "footnote_reference_close":
            depth -= 1
        elif token.type == "inline" and token.children and "@" in token.content:
            first = len(cites.clusters)
            token.children = rewrite(token.children, line, depth > 0)
            passage = _passage(token.content)
            for cluster in cites.clusters[first:]:
                cluster.passage = passage


@functools.lru_cache(maxsize=4096)
def _passage(markdown: str, limit: int = 300) -> str:
    """Return a paragraph's text without citation and note markup, for listings."""
    pieces, position = [], 0
    for match in _clusters(markdown):
        pieces.append(markdown[position : match.start()])
        position = match.end()
    pieces.append(markdown[position:])
    text = _without_note_marks("".join(pieces))
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _without_note_marks(text: str) -> str:
    """Drop note references "[^a]" and inline notes "^[...]", each up to its "]"."""
    # A pattern "[^ ... ]" would rescan the rest of the text from every "[^"
    # when no "]" follows; here each stretch of text is looked at once.
    pieces, position = [], 0
    for start in _NOTE_MARK_START.finditer(text):
        if start.start() < position:
            continue
        end = text.find("]", start.end())
        if end < 0:
            break
        pieces.append(text[position : start.start()])
        position = end + 1
    pieces.append(text[position:])
    return "".join(pieces)


def _render_citation(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    meta = tokens[idx].meta
    cluster = env[_ENV_KEY].clusters[meta["cluster"]]
    unresolved = cluster.problems or not (cluster.text_html or cluster.note_html)
    if meta["part"] == "open":
        # A note style's mark: the span holds the note reference and the anchor
        # the works cited links back to.
        kind = "citation unresolved" if unresolved else "citation"
        return f'<span class="{kind}" id="{cluster.anchor}">'
    if meta["part"] == "close":
        return "</span>"
    if unresolved:
        # Unresolved: show what the writer typed, so the page still reads.
        if meta["part"] == "note":
            source = escapeHtml(cluster.source)
            return f'<span class="citation unresolved">{source}</span>'
        body = escapeHtml(cluster.source)
        return f'<span class="citation unresolved" id="{cluster.anchor}">{body}</span>'
    if meta["part"] == "note":
        return f'<span class="citation">{cluster.note_html}</span>'
    return f'<span class="citation" id="{cluster.anchor}">{cluster.text_html}</span>'


def citations_plugin(md: MarkdownIt) -> None:
    """Parse Pandoc citations into citation tokens before notes are numbered."""
    # Straight after inline parsing, while an escaped "\\@" is still its own token.
    md.core.ruler.after("inline", "citation_scan", _scan)
    md.add_render_rule("citation", _render_citation)


def _reading_order(tokens: Sequence[Token], env: dict[str, Any]) -> list[Cluster]:
    """Return clusters as a reader meets them: each note where it is referenced."""
    state: _State = env[_ENV_KEY]
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
    state: _State | None = env.get(_ENV_KEY)
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
    request = _request(valid, works)
    formatted, bibliography = format_citations(style, request)
    for cluster, (text_html, note_html) in zip(valid, formatted, strict=True):
        if cluster.in_note and cluster.before_punctuation:
            # The style ends a note with a full stop; here the writer's own
            # punctuation follows, inside their note.
            text_html = text_html.removesuffix(".")
        cluster.text_html, cluster.note_html = text_html, note_html
    return CitationResult(uses, _works_cited(bibliography, order), tuple(problems))


def _request(clusters: Sequence[Cluster], works: Mapping[str, dict[str, Any]]) -> str:
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
    _collect_cites(ast["blocks"], cites)
    formatted = tuple(_split_cite(cite) for cite in cites)
    return formatted, tuple(_bibliography(ast["blocks"]))


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


def _collect_cites(node: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(node, list):
        for child in node:
            _collect_cites(child, found)
    elif isinstance(node, dict) and "t" in node:
        if node["t"] == "Cite":
            found.append(node)
        elif node["t"] == "Div" and node["c"][0][0] == "refs":
            return
        elif "c" in node:
            _collect_cites(node["c"], found)


def _split_cite(cite: dict[str, Any]) -> tuple[str, str]:
    text, note = [], []
    for inline in cite["c"][1]:
        if inline["t"] == "Note":
            note.extend(_blocks_inlines(inline["c"]))
        else:
            text.append(inline)
    return inlines_html(text).strip(), inlines_html(note).strip()


def _blocks_inlines(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    inlines: list[dict[str, Any]] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            inlines.extend(block["c"])
        elif block["t"] == "Div":
            inlines.extend(_blocks_inlines(block["c"][1]))
    return inlines


def _bibliography(blocks: list[dict[str, Any]]):
    for block in blocks:
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            for entry in block["c"][1]:
                identifier = entry["c"][0][0]
                key = identifier.removeprefix("ref-")
                yield key, inlines_html(_blocks_inlines(entry["c"][1])).strip()


_WRAPPERS = {
    "Emph": "em",
    "Strong": "strong",
    "Superscript": "sup",
    "Subscript": "sub",
    "Strikeout": "del",
    "Underline": "span",
}


def inlines_html(inlines: Sequence[dict[str, Any]]) -> str:
    """Render Pandoc AST inlines (citeproc output) to HTML."""
    out = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            out.append(escapeHtml(content))
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("<br>")
        elif kind in _WRAPPERS:
            tag = _WRAPPERS[kind]
            out.append(f"<{tag}>{inlines_html(content)}</{tag}>")
        elif kind == "SmallCaps":
            out.append(f'<span class="smallcaps">{inlines_html(content)}</span>')
        elif kind == "Quoted":
            left, right = ("‘", "’") if content[0]["t"] == "SingleQuote" else ("“", "”")
            out.append(f"{left}{inlines_html(content[1])}{right}")
        elif kind == "Span":
            classes = content[0][1]
            inner = inlines_html(content[1])
            if "smallcaps" in classes or "csl-no-smallcaps" in classes:
                inner = f'<span class="smallcaps">{inner}</span>'
            out.append(inner)
        elif kind == "Link":
            href = escapeHtml(content[2][0])
            out.append(f'<a href="{href}">{inlines_html(content[1])}</a>')
        elif kind == "Cite":
            out.append(inlines_html(content[1]))
        elif kind in ("Code", "Math"):
            out.append(escapeHtml(content[1]))
    return "".join(out)


def _works_cited(
    bibliography: Sequence[tuple[str, str]], order: Sequence[Cluster]
) -> str:
    if not bibliography:
        return ""
    anchors: dict[str, list[str]] = {}
    for cluster in order:
        if cluster.problems:
            continue
        for item in cluster.items:
            spots = anchors.setdefault(item.key, [])
            if cluster.anchor not in spots:
                spots.append(cluster.anchor)
    items = []
    for key, entry in bibliography:
        links = " ".join(
            f'<a href="#{anchor}" class="cite-backref" role="doc-backlink"'
            f' aria-label="Back to citation {number}">↩'
            + (f"<sup>{number}</sup>" if number > 1 else "")
            + "</a>"
            for number, anchor in enumerate(anchors.get(key, []), start=1)
        )
        items.append(
            f'<li id="{work_anchor(key)}" class="csl-entry">{entry} {links}</li>\n'
        )
    return (
        '<section class="works-cited" role="doc-bibliography"'
        ' aria-labelledby="works-cited-heading">\n'
        '<h2 id="works-cited-heading">Works cited</h2>\n'
        '<ul class="works-cited-list">\n' + "".join(items) + "</ul>\n</section>\n"
    )


def work_anchor(key: str) -> str:
    """Return the HTML id of a work's entry in an article's works cited."""
    return "work-" + re.sub(r"[^\w-]+", "-", key).strip("-").lower()
