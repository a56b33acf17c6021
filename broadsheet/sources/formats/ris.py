"""RIS (the reference-manager exchange format): export with rispy, a strict reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import rispy

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
