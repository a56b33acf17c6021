"""RIS (the reference-manager exchange format): export, plus a small reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TYPES = {
    "book": "BOOK", "article-journal": "JOUR", "article-newspaper": "NEWS",
    "article-magazine": "MGZN", "chapter": "CHAP", "paper-conference": "CPAPER",
    "thesis": "THES", "report": "RPRT", "webpage": "ELEC", "manuscript": "UNPB",
    "pamphlet": "PAMP", "post-weblog": "BLOG", "post": "BLOG",
}  # fmt: skip
FIELDS = [
    ("title", "TI"), ("container-title", "T2"), ("collection-title", "T3"),
    ("volume", "VL"), ("issue", "IS"), ("edition", "ET"), ("publisher", "PB"),
    ("publisher-place", "CY"), ("DOI", "DO"), ("URL", "UR"), ("ISBN", "SN"),
    ("ISSN", "SN"), ("abstract", "AB"), ("note", "N1"), ("language", "LA"),
    ("archive", "AN"),
]  # fmt: skip
_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


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


def dump(items: Iterable[dict[str, Any]]) -> str:
    """Serialise CSL items as RIS records (CRLF line ends, as the format asks)."""
    lines: list[str] = []
    for item in items:
        lines.append(f"TY  - {TYPES.get(item.get('type', ''), 'GEN')}")
        lines.append(f"ID  - {item['id']}")
        for name in item.get("author", []):
            lines.append(f"AU  - {_name(name)}")
        for name in item.get("editor", []):
            lines.append(f"A2  - {_name(name)}")
        for variable, tag in FIELDS:
            if item.get(variable):
                lines.append(f"{tag}  - {item[variable]}")
        if item.get("page"):
            first, _, last = str(item["page"]).partition("-")
            lines.append(f"SP  - {first}")
            if last:
                lines.append(f"EP  - {last}")
        if item.get("issued"):
            year, full = _date(item["issued"])
            lines.append(f"PY  - {year}")
            if full:
                lines.append(f"DA  - {full}")
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


def parse(text: str) -> list[dict[str, list[str]]]:
    """Read RIS records into dicts of tag -> values (enough to check exports)."""
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
