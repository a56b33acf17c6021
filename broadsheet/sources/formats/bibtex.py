"""BibTeX (and the common biblatex fields) to and from CSL-JSON, with bibtexparser."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.exceptions import PartialMiddlewareException
from bibtexparser.library import Library
from bibtexparser.middlewares.names import InvalidNameError, NameParts
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    Entry,
    Field,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import get_default_latex_context_db

from broadsheet.sources.formats import BibliographyFormatError
from broadsheet.sources.validation import MAX_NESTING, key_problem, record_problems

# BibTeX entry type -> CSL type; the export uses EXPORT_TYPES, chosen so that
# export then import gives back the same CSL type.
IMPORT_TYPES = {
    "article": "article-journal", "book": "book", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "proceedings": "book", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report",
    "report": "report", "manual": "report", "booklet": "pamphlet",
    "unpublished": "manuscript", "misc": "document", "online": "webpage",
    "www": "webpage", "electronic": "webpage", "periodical": "periodical",
}  # fmt: skip
EXPORT_TYPES = {
    "article-journal": "article", "article-newspaper": "article",
    "article-magazine": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "thesis": "thesis", "report": "report",
    "pamphlet": "booklet", "manuscript": "unpublished", "webpage": "online",
    "periodical": "periodical",
}  # fmt: skip
SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}

# BibTeX field -> CSL variable, for plain text fields.
TEXT_FIELDS = {
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "volume": "volume", "edition": "edition",
    "publisher": "publisher", "address": "publisher-place",
    "location": "publisher-place", "institution": "publisher", "school": "publisher",
    "organization": "publisher", "series": "collection-title", "doi": "DOI",
    "url": "URL", "isbn": "ISBN", "issn": "ISSN", "note": "note",
    "abstract": "abstract", "chapter": "chapter-number", "keywords": "keyword",
    "language": "language", "howpublished": "medium", "archive": "archive",
    "archive_location": "archive_location", "shorttitle": "title-short",
    "type": "genre", "eprint": "number",
}  # fmt: skip
EXPORT_FIELDS = {
    "title": "title", "volume": "volume", "edition": "edition",
    "publisher-place": "address", "collection-title": "series", "DOI": "doi",
    "URL": "url", "ISBN": "isbn", "ISSN": "issn", "note": "note",
    "abstract": "abstract", "chapter-number": "chapter", "keyword": "keywords",
    "language": "language", "medium": "howpublished", "archive": "archive",
    "archive_location": "archive_location", "title-short": "shorttitle",
}  # fmt: skip
NAME_FIELDS = ("author", "editor", "translator")
# Built once: LatexWalker otherwise rebuilds the default macro database on every
# call, a third of the decoder's cost.
_LATEX_CONTEXT = get_default_latex_context_db()


class _Unreadable(ValueError):
    """A field bibtexparser split but that cannot be turned into text."""


class _Decoder(LatexNodes2Text):
    """pylatexenc's LaTeX-to-text, only for text that holds LaTeX; grouping
    braces dropped, braces written as \\{ and \\} kept."""

    def latex_to_text(self, latex: str, **parse_flags: Any) -> str:
        """Return `latex` as plain text with single spaces."""
        value = latex.strip()
        # Text without a macro, tie or math is left alone: pylatexenc would read
        # "100% care" as "100" and a comment, and skipping it is most of the speed.
        if "\\" in value or "~" in value or "$" in value:
            try:
                # pylatexenc drops the braces of groups itself; what braces are
                # left were escaped in the source and are text.
                value = super().latex_to_text(
                    value, latex_context=_LATEX_CONTEXT, **parse_flags
                )
            except RecursionError:
                # The decoder recurses per group; _RefuseDeepBraces is meant to
                # stop that first, this is the backstop.
                raise _Unreadable("a field nests LaTeX too deeply to read") from None
        else:
            value = value.replace("{", "").replace("}", "")
        return " ".join(value.split())


class _TooDeep(ValueError):
    def __init__(self, field: str) -> None:
        super().__init__(f"{field} nests braces more than {MAX_NESTING} deep")


class _RefuseDeepBraces(middlewares.BlockMiddleware):
    """Turn an entry with a field nesting braces too deep into an error block.

    bibtexparser has no such limit; it runs before the LaTeX decoder, which
    recurses once per level.
    """

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        """Return the entry, or an error block naming its too deep field."""
        for field in entry.fields:
            if _brace_depth(field.value) > MAX_NESTING:
                return MiddlewareErrorBlock(entry, _TooDeep(field.key))
        return entry


def _brace_depth(value: str) -> int:
    if value.count("{") <= MAX_NESTING:
        return 0  # cannot nest deeper than it has braces: skip the scan
    depth = deepest = 0
    for char in value:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    return deepest


_DECODER = _Decoder()
# Run after bibtexparser's default stack (@string references resolved, enclosing
# braces and quotes removed). LatexDecodingMiddleware skips a field that holds a
# list of NameParts, which is what SplitNameParts leaves: _csl_name decodes names.
_PARSE_STACK = [
    middlewares.NormalizeFieldKeys(),
    _RefuseDeepBraces(),
    middlewares.SeparateCoAuthors(),
    middlewares.SplitNameParts(),
    middlewares.LatexDecodingMiddleware(decoder=_DECODER),
    middlewares.MonthIntMiddleware(),
]
_MONTHS = middlewares.MonthIntMiddleware()
_NO_NAME = NameParts()  # what SplitNameParts makes of a blank name
# In place (the default copies every entry): they are built for the one write.
_WRITE_STACK = [
    middlewares.AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{"
    ),
]
# The layout Broadsheet wrote before: two-space indent, a blank line between entries.
_FORMAT = bibtexparser.BibtexFormat()
_FORMAT.indent, _FORMAT.block_separator = "  ", "\n"


def parse(text: str) -> list[dict[str, Any]]:
    """Parse BibTeX into CSL-JSON items.

    Raises BibliographyFormatError naming the first malformed entry (or one
    that may not be stored, such as a javascript: URL) and its line; nothing is
    returned from a file with such an entry.
    """
    library = bibtexparser.parse_string(text, append_middleware=_PARSE_STACK)
    for block in library.failed_blocks:
        if not isinstance(block, MiddlewareErrorBlock):
            raise _syntax_error(block)
    items = []
    for block in library.blocks:
        if isinstance(block, MiddlewareErrorBlock):
            entry, problem = block.ignore_error_block, _middleware_problem(block.error)
        elif isinstance(block, Entry):
            entry = block
            try:
                item = _entry_to_csl(entry)
            except _Unreadable as error:
                problem = str(error)
            else:
                problem = key_problem(entry.key) or "; ".join(record_problems(item))
                items.append(item)
        else:
            continue  # @string, @preamble and comments describe no work
        if problem:
            raise BibliographyFormatError(
                problem, entry=entry.key, line=entry.start_line + 1
            )
    return items


def _syntax_error(block: ParsingFailedBlock) -> BibliographyFormatError:
    raw = (block.raw or "").strip()
    match = re.match(r"@\w+\s*[{(]\s*([^,\s]*)", raw)
    entry = match[1] if match else raw.splitlines()[0][:60] if raw else ""
    detail = (str(block.error).strip().splitlines() or [""])[0] if block.error else ""
    detail = detail or "unbalanced braces or a missing comma"
    if isinstance(block, DuplicateBlockKeyBlock):
        detail = "the key is used by an earlier entry"
    return BibliographyFormatError(
        f"malformed BibTeX entry: {detail}", entry=entry, line=block.start_line + 1
    )


def _middleware_problem(error: Exception) -> str:
    if isinstance(error, InvalidNameError):
        return f"a name cannot be read: {error}"
    if isinstance(error, PartialMiddlewareException):
        # LatexDecodingMiddleware joins its decoder's messages, one per field.
        reasons = str(error).partition(": ")[2]
        return reasons.split("\n\n=====\n\n")[0]
    return str(error)


def _csl_name(parts: NameParts) -> dict[str, str]:
    """One BibTeX name, split by bibtexparser by BibTeX's rules, as a CSL name."""
    last = parts.von + parts.last
    if len(last) == 1 and not (parts.first or parts.jr) and _is_braced(last[0]):
        return {"literal": _DECODER.latex_to_text(last[0])}  # "{Guild of Printers}"
    name = {"family": _DECODER.latex_to_text(" ".join(last))}
    if parts.jr:
        name["suffix"] = _DECODER.latex_to_text(" ".join(parts.jr))
    if parts.first:
        name["given"] = _DECODER.latex_to_text(" ".join(parts.first))
    return name


def _is_braced(word: str) -> bool:
    return word.startswith("{") and word.endswith("}") and word.count("{") == 1


def _month(value: int | str) -> int | None:
    if isinstance(value, int):
        return value  # MonthIntMiddleware read "jan", "January" or "1" to "12"
    # What it leaves is read as before it: " Sept. ", "Jan.", and "13" as written.
    text = value.strip().lower().rstrip(".")
    if text.isdigit():
        return int(text)
    text = "sep" if text == "sept" else text
    number, _ = _MONTHS.resolve_month_field_val(Field("month", text))
    return number if isinstance(number, int) else None


def _date(fields: dict[str, Any]) -> dict[str, Any] | None:
    if fields.get("date"):
        numbers = [int(p) for p in re.findall(r"\d+", fields["date"])[:3]]
        return {"date-parts": [numbers]} if numbers else None
    if not fields.get("year"):
        return None
    year = re.search(r"\d+", fields["year"])
    if not year:
        return {"literal": fields["year"]}
    parts = [int(year[0])]
    number = _month(fields["month"]) if fields.get("month") else None
    if number:
        parts.append(number)
        if fields.get("day", "").strip().isdigit():
            parts.append(int(fields["day"]))
    return {"date-parts": [parts]}


def _entry_to_csl(entry: Entry) -> dict[str, Any]:
    fields = {field.key: field.value for field in entry.fields}
    kind = entry.entry_type.lower()
    csl_type = IMPORT_TYPES.get(kind, "document")
    subtype = fields.pop("entrysubtype", "").lower()
    if kind == "article" and subtype in SUBTYPES:
        csl_type = SUBTYPES[subtype]
    item: dict[str, Any] = {"id": entry.key, "type": csl_type}
    for name in NAME_FIELDS:
        if fields.get(name):
            item[name] = [_csl_name(p) for p in fields[name] if p != _NO_NAME]
    for bib_name, csl_name in TEXT_FIELDS.items():
        if fields.get(bib_name) and csl_name not in item:
            item[csl_name] = fields[bib_name]
    if kind in THESIS_GENRES and "genre" not in item:
        item["genre"] = THESIS_GENRES[kind]
    if fields.get("number"):
        variable = "issue" if csl_type.startswith("article") else "number"
        item[variable] = fields["number"]
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*-+\s*", "-", fields["pages"])
    issued = _date(fields)
    if issued:
        item["issued"] = issued
    if fields.get("urldate"):
        numbers = [int(p) for p in re.findall(r"\d+", fields["urldate"])[:3]]
        item["accessed"] = {"date-parts": [numbers]}
    if "DOI" in item:
        item["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", item["DOI"])
    return item


def _bibtex_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return "{" + _brace_safe(name["literal"]) + "}"
    family = _brace_safe(name.get("family", ""))
    if " " in family and not name.get("given"):
        family = "{" + family + "}"  # "Brinch Hansen" alone: "Brinch" is no given name
    parts = NameParts(last=[family] if family else [])
    if name.get("suffix"):
        parts.jr = [_brace_safe(name["suffix"])]
    if name.get("given"):
        parts.first = [_brace_safe(name["given"])]
    # What MergeNameParts(style="last") does per name, without that middleware's
    # and MergeCoAuthors' passes over every entry: those made dump() of 25,000
    # works 2.7 s instead of 1.4 s (0.7 s before bibtexparser wrote the file).
    return parts.merge_last_name_first


def _date_fields(date: dict[str, Any]) -> dict[str, str]:
    if "literal" in date:
        return {"year": date["literal"]}
    parts = (date.get("date-parts") or [[]])[0]
    if not parts:
        return {}
    if len(parts) == 1:
        return {"year": str(parts[0])}
    padded = [str(parts[0])] + [f"{int(part):02d}" for part in parts[1:]]
    return {"date": "-".join(padded)}


def _entry(item: dict[str, Any]) -> Entry:
    """One CSL item as a bibtexparser entry, its values not yet enclosed."""
    csl_type = item.get("type", "document")
    fields: dict[str, str] = {}
    if csl_type in ("article-newspaper", "article-magazine"):
        fields["entrysubtype"] = csl_type.removeprefix("article-")
    for name in NAME_FIELDS:
        if item.get(name):
            fields[name] = " and ".join(_bibtex_name(n) for n in item[name])
    for csl_name, bib_name in EXPORT_FIELDS.items():
        if item.get(csl_name):
            fields[bib_name] = str(item[csl_name])
    if item.get("container-title"):
        container = "journal" if csl_type.startswith("article") else "booktitle"
        fields[container] = str(item["container-title"])
    if item.get("publisher"):
        publisher = {"thesis": "school", "report": "institution"}.get(csl_type)
        fields[publisher or "publisher"] = str(item["publisher"])
    if item.get("genre"):
        fields["type"] = str(item["genre"])
    for variable in ("issue", "number"):
        if item.get(variable):
            fields["number"] = str(item[variable])
    if item.get("page"):
        fields["pages"] = str(item["page"]).replace("-", "--")
    if item.get("issued"):
        fields.update(_date_fields(item["issued"]))
    if item.get("accessed"):
        accessed = _date_fields(item["accessed"])
        fields["urldate"] = accessed.get("date") or accessed.get("year", "")
    return Entry(
        entry_type=EXPORT_TYPES.get(csl_type, "misc"),
        key=item["id"],
        fields=[
            Field(key, value if key in NAME_FIELDS else _brace_safe(value))
            for key, value in fields.items()
        ],
    )


def dump(items: Iterable[dict[str, Any]]) -> str:
    """Serialise CSL items as UTF-8 BibTeX (biblatex field names where needed)."""
    # Not LatexEncodingMiddleware: it would turn the UTF-8 into LaTeX macros and
    # escape the verbatim url and doi fields (docs/decisions/0009-*.md).
    library = Library([_entry(item) for item in items])
    return bibtexparser.write_string(
        library, unparse_stack=_WRITE_STACK, bibtex_format=_FORMAT
    )


def _brace_safe(value: str) -> str:
    # AddEnclosingMiddleware wraps a value in braces as it is, so unbalanced
    # braces would end the field early; balanced ones are kept.
    if "{" not in value and "}" not in value:
        return value
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "(").replace("}", ")")
