"""RIS (the reference-manager exchange format): export with rispy, strict readers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import rispy

from broadsheet.sources.formats import BibliographyFormatError
from broadsheet.sources.validation import key_problem, record_problems

TYPES = {
    "book": "BOOK", "article-journal": "JOUR", "article-newspaper": "NEWS",
    "article-magazine": "MGZN", "chapter": "CHAP", "paper-conference": "CPAPER",
    "thesis": "THES", "report": "RPRT", "webpage": "ELEC", "manuscript": "UNPB",
    "pamphlet": "PAMP", "post-weblog": "BLOG", "post": "BLOG",
}  # fmt: skip
# CSL variable -> rispy's name for the RIS tag (in the comment).
FIELDS = [
    ("title", "title"),  # TI
    ("container-title", "secondary_title"),  # T2
    ("collection-title", "tertiary_title"),  # T3
    ("volume", "volume"),  # VL
    ("issue", "number"),  # IS
    ("edition", "edition"),  # ET
    ("publisher", "publisher"),  # PB
    ("publisher-place", "place_published"),  # CY
    ("DOI", "doi"),  # DO
    ("URL", "urls"),  # UR, one line each
    ("ISBN", "issn"),  # SN holds an ISBN or an ISSN: a list here
    ("ISSN", "issn"),
    ("abstract", "abstract"),  # AB
    ("note", "notes"),  # N1, one line each
    ("language", "language"),  # LA
    ("archive", "accession_number"),  # AN
]
_LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "SN"]
_LIST_KEYS = {rispy.TAG_KEY_MAPPING[tag] for tag in _LIST_TAGS}
_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


class _Writer(rispy.RisWriter):
    """rispy's RIS writer with CRLF line ends, as the format asks, and no "1." lines."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        """Write no record number before each record (not part of RIS)."""
        return ""


def _name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    given = f", {name['given']}" if name.get("given") else ""
    suffix = f", {name['suffix']}" if name.get("suffix") else ""
    return f"{name.get('family', '')}{given}{suffix}"


def _date(date: dict[str, Any]) -> tuple[str, str]:
    parts = (date.get("date-parts") or [[]])[0]
    if not parts:
        return date.get("literal", ""), ""
    padded = [str(parts[0])] + [f"{int(p):02d}" for p in parts[1:]]
    return str(parts[0]), "/".join(padded + [""] * (3 - len(padded))) + "/"


def _record(item: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type_of_reference": TYPES.get(item.get("type", ""), "GEN"),
        "id": item["id"],
    }
    if item.get("author"):
        record["authors"] = [_name(name) for name in item["author"]]
    if item.get("editor"):
        record["secondary_authors"] = [_name(name) for name in item["editor"]]
    for variable, key in FIELDS:
        if item.get(variable):
            if key in _LIST_KEYS:
                record.setdefault(key, []).append(item[variable])
            else:
                record[key] = item[variable]
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        record["start_page"] = first
        if last:
            record["end_page"] = last
    if item.get("issued"):
        year, full = _date(item["issued"])
        record["year"] = year
        if full:
            record["date"] = full
    return record


def dump(items: Iterable[dict[str, Any]]) -> str:
    """Serialise CSL items as RIS records, written by rispy."""
    return rispy.dumps(
        [_record(item) for item in items], implementation=_Writer, list_tags=_LIST_TAGS
    )


def parse(text: str) -> list[dict[str, list[str]]]:
    """Read RIS records into dicts of tag -> values (enough to check exports).

    Not rispy's reader: it takes a line that is no RIS line as more of the last
    value and drops a record without ER, where a check of an export must fail.
    """
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.splitlines():
        match = _LINE.match(line.rstrip())
        if not match:
            if line.strip():
                raise ValueError(f"not a RIS line: {line!r}")
            continue
        tag, value = match[1], match[2].strip()
        if tag == "TY":
            current = {"TY": [value]}
        elif current is None:
            raise ValueError(f"{tag} outside a record")
        elif tag == "ER":
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    if current is not None:
        raise ValueError("last record has no ER line")
    return records


# What parse_works() reads: the reverse of TYPES and FIELDS, plus the tags other
# reference managers write for the same things.
READ_TYPES = {"JOUR": "article-journal", "BLOG": "post-weblog", "GEN": "document"}
for _csl, _ris in TYPES.items():
    READ_TYPES.setdefault(_ris, _csl)
READ_FIELDS = {
    "TI": "title", "T1": "title", "T2": "container-title", "JO": "container-title",
    "JF": "container-title", "BT": "container-title", "T3": "collection-title",
    "VL": "volume", "IS": "issue", "ET": "edition", "PB": "publisher",
    "CY": "publisher-place", "DO": "DOI", "UR": "URL", "AB": "abstract",
    "N2": "abstract", "N1": "note", "LA": "language", "AN": "archive",
}  # fmt: skip
AUTHOR_TAGS = ("AU", "A1")
EDITOR_TAGS = ("A2", "ED")
_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]")


def parse_works(text: str) -> list[dict[str, Any]]:
    """Read RIS records into CSL-JSON items, the key from ID (else made from
    the first author and year).

    Raises BibliographyFormatError naming the record and line of the first
    line that is no RIS, a record left open, or an item that may not be stored.
    """
    items: list[dict[str, Any]] = []
    keys: set[str] = set()
    current: dict[str, list[str]] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        match = _LINE.match(line.rstrip().lstrip("\ufeff"))
        if not match:
            if line.strip():
                raise BibliographyFormatError(
                    f"not a RIS line: {line[:60]!r}", line=number
                )
            continue
        tag, value = match[1], match[2].strip()
        if tag == "TY":
            current, start = {"TY": [value]}, number
        elif current is None:
            raise BibliographyFormatError(f"{tag} outside a record", line=number)
        elif tag == "ER":
            items.append(_work(current, keys, start))
            current = None
        else:
            current.setdefault(tag, []).append(value)
    if current is not None:
        raise BibliographyFormatError("record has no ER line", line=start)
    return items


def _work(record: dict[str, list[str]], keys: set[str], line: int) -> dict[str, Any]:
    item: dict[str, Any] = {"type": READ_TYPES.get(record["TY"][0], "document")}
    for tags, variable in ((AUTHOR_TAGS, "author"), (EDITOR_TAGS, "editor")):
        names = [_csl_name(v) for tag in tags for v in record.get(tag, []) if v]
        if names:
            item[variable] = names
    for tag, variable in READ_FIELDS.items():
        if record.get(tag) and variable not in item:
            item[variable] = record[tag][0]
    for number in record.get("SN", []):
        item.setdefault("ISSN" if _ISSN.fullmatch(number) else "ISBN", number)
    first, last = (record.get("SP") or [""])[0], (record.get("EP") or [""])[0]
    if first:
        item["page"] = f"{first}-{last}" if last else first
    issued = _issued(
        (record.get("DA") or record.get("PY") or record.get("Y1") or [""])[0]
    )
    if issued:
        item["issued"] = issued
    key = (record.get("ID") or [""])[0] or _made_key(item, keys)
    item = {"id": key, **item}
    problem = key_problem(key) or "; ".join(record_problems(item))
    if problem:
        raise BibliographyFormatError(problem, entry=key, line=line)
    keys.add(key)
    return item


def _csl_name(text: str) -> dict[str, str]:
    family, _, rest = text.partition(",")
    given, _, suffix = rest.strip().partition(",")
    if not rest:
        return {"literal": family.strip()}
    name = {"family": family.strip(), "given": given.strip()}
    if suffix.strip():
        name["suffix"] = suffix.strip()
    return name


def _issued(text: str) -> dict[str, Any] | None:
    parts = [p for p in text.split("/") if p.strip()]
    if not parts or not parts[0].strip().isdigit():
        return None
    numbers = [int(parts[0])]
    for part in parts[1:3]:
        if not part.strip().isdigit():
            break
        numbers.append(int(part))
    return {"date-parts": [numbers]}


def _made_key(item: dict[str, Any], keys: set[str]) -> str:
    names = item.get("author") or item.get("editor") or [{}]
    stem = (
        re.sub(
            r"[^a-z0-9]",
            "",
            str(names[0].get("family") or names[0].get("literal", "")).lower(),
        )
        or "work"
    )
    year = (item.get("issued", {}).get("date-parts") or [[""]])[0][0]
    key, n = f"{stem}{year}", 1
    while key in keys:
        n += 1
        key = f"{stem}{year}-{n}"
    return key
