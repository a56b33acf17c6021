"""BibTeX (and the common biblatex fields) to and from CSL-JSON, with bibtexparser."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
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
MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"),
         ("apr", "april"), ("may",), ("jun", "june"), ("jul", "july"),
         ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
_latex = LatexNodes2Text()
# Built once: latex_to_text() otherwise rebuilds the default macro database on
# every call, a third of its cost.
_LATEX_CONTEXT = get_default_latex_context_db()


def parse(text: str) -> list[dict[str, Any]]:
    """Parse BibTeX into CSL-JSON items.

    Raises BibliographyFormatError naming the first malformed entry (or one
    that may not be stored, such as a javascript: URL) and its line; nothing is
    returned from a file with such an entry.
    """
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raw = getattr(block, "raw", "") or ""
        match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]*)", raw)
        entry = match[1] if match else raw.strip().splitlines()[0][:60] if raw else ""
        reason = type(block).__name__
        error = getattr(block, "error", None)
        detail = (str(error).strip().splitlines() or [""])[0] if error else ""
        detail = detail or "unbalanced braces or a missing comma"
        if reason == "DuplicateBlockKeyBlock":
            detail = "the key is used by an earlier entry"
        raise BibliographyFormatError(
            f"malformed BibTeX entry: {detail}",
            entry=entry,
            line=block.start_line + 1,
        )
    items = []
    for entry in library.entries:
        problem = key_problem(entry.key)
        try:
            item = _entry_to_csl(entry)
        except _TooDeep as error:
            problem = f"{error.field} nests braces more than {MAX_NESTING} deep"
        except InvalidNameError as error:
            problem = f"a name cannot be read: {error}"
        except RecursionError:
            # The LaTeX decoder recurses per group; the depth check above is
            # meant to stop that first, this is the backstop.
            problem = "a field nests LaTeX too deeply to read"
        else:
            problem = problem or "; ".join(record_problems(item))
        if problem:
            raise BibliographyFormatError(
                problem, entry=entry.key, line=entry.start_line + 1
            )
        items.append(item)
    return items


class _TooDeep(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _decode(value: str) -> str:
    value = value.strip()
    if "\\" in value or "~" in value or "$" in value:
        value = _latex.latex_to_text(value, latex_context=_LATEX_CONTEXT)
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _csl_name(raw: str) -> dict[str, str]:
    """One BibTeX name as a CSL name; bibtexparser splits it by BibTeX's rules."""
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return {"literal": _decode(raw)}  # "{Guild of Printers}": one name, as is
    parts = parse_single_name_into_parts(raw)
    name = {"family": _decode(" ".join(parts.von + parts.last))}
    if parts.jr:
        name["suffix"] = _decode(" ".join(parts.jr))
    if parts.first:
        name["given"] = _decode(" ".join(parts.first))
    return name


def _date(fields: dict[str, str]) -> dict[str, Any] | None:
    if fields.get("date"):
        numbers = [int(p) for p in re.findall(r"\d+", fields["date"])[:3]]
        return {"date-parts": [numbers]} if numbers else None
    if not fields.get("year"):
        return None
    year = re.search(r"\d+", fields["year"])
    if not year:
        return {"literal": _decode(fields["year"])}
    parts = [int(year[0])]
    month = fields.get("month", "").strip().lower().rstrip(".")
    if month:
        number = int(month) if month.isdigit() else MONTHS.get(month)
        if number:
            parts.append(number)
            if fields.get("day", "").strip().isdigit():
                parts.append(int(fields["day"]))
    return {"date-parts": [parts]}


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


def _entry_to_csl(entry: Any) -> dict[str, Any]:
    fields = {name.lower(): str(f.value) for name, f in entry.fields_dict.items()}
    for name, value in fields.items():
        if _brace_depth(value) > MAX_NESTING:
            raise _TooDeep(name)
    kind = entry.entry_type.lower()
    csl_type = IMPORT_TYPES.get(kind, "document")
    subtype = fields.pop("entrysubtype", "").strip().lower()
    if kind == "article" and subtype in SUBTYPES:
        csl_type = SUBTYPES[subtype]
    item: dict[str, Any] = {"id": entry.key, "type": csl_type}
    for name in NAME_FIELDS:
        if fields.get(name):
            names = split_multiple_persons_names(fields[name])
            item[name] = [_csl_name(n.strip()) for n in names if n.strip()]
    for bib_name, csl_name in TEXT_FIELDS.items():
        if fields.get(bib_name) and csl_name not in item:
            item[csl_name] = _decode(fields[bib_name])
    if kind in THESIS_GENRES and "genre" not in item:
        item["genre"] = THESIS_GENRES[kind]
    if fields.get("number"):
        variable = "issue" if csl_type.startswith("article") else "number"
        item[variable] = _decode(fields["number"])
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*-+\s*", "-", _decode(fields["pages"]))
    issued = _date(fields)
    if issued:
        item["issued"] = issued
    if fields.get("urldate"):
        numbers = [int(p) for p in re.findall(r"\d+", fields["urldate"])[:3]]
        item["accessed"] = {"date-parts": [numbers]}
    if "DOI" in item:
        item["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", item["DOI"])
    return item


def _name_to_bibtex(name: dict[str, str]) -> str:
    if "literal" in name:
        return "{" + name["literal"] + "}"
    family = name.get("family", "")
    if " " in family and not name.get("given"):
        family = "{" + family + "}"
    parts = [family]
    if name.get("suffix"):
        parts.append(name["suffix"])
    if name.get("given"):
        parts.append(name["given"])
    if len(parts) == 1:
        return family
    return ", ".join(parts)


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


def entry_fields(item: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Return (BibTeX entry type, fields) for one CSL item."""
    csl_type = item.get("type", "document")
    kind = EXPORT_TYPES.get(csl_type, "misc")
    fields: dict[str, str] = {}
    if csl_type in ("article-newspaper", "article-magazine"):
        fields["entrysubtype"] = csl_type.removeprefix("article-")
    for name in NAME_FIELDS:
        if item.get(name):
            fields[name] = " and ".join(_name_to_bibtex(n) for n in item[name])
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
        fields["urldate"] = _date_fields(item["accessed"]).get("date") or _date_fields(
            item["accessed"]
        ).get("year", "")
    return kind, fields


def dump(items: Iterable[dict[str, Any]]) -> str:
    """Serialise CSL items as UTF-8 BibTeX (biblatex field names where needed)."""
    entries = []
    for item in items:
        kind, fields = entry_fields(item)
        body = ",\n".join(
            f"  {name} = {{{_brace_safe(value)}}}" for name, value in fields.items()
        )
        entries.append(f"@{kind}{{{item['id']},\n{body}\n}}\n")
    return "\n".join(entries)


def _brace_safe(value: str) -> str:
    # Unbalanced braces would end the field early; balanced ones are kept.
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "(").replace("}", ")")
