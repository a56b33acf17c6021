"""CSL-JSON: the bibliography's own format (https://citationstyles.org/)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from broadsheet.sources.formats import BibliographyFormatError
from broadsheet.sources.validation import record_problems

_SPACE = re.compile(r"\s*")
_PAGES = re.compile(r"^\s*(\d+)\s*(?:[-–—]+\s*(\d+))?\s*$")


def parse(text: str) -> list[dict[str, Any]]:
    """Parse a CSL-JSON array (or one object) into a list of items with ids."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BibliographyFormatError(
            f"not valid JSON: {error.msg}", line=error.lineno
        ) from error
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BibliographyFormatError("CSL-JSON must be an array of items")
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            raise BibliographyFormatError(f"item {position} has no id")
        if not item.get("type"):
            raise BibliographyFormatError("item has no type", entry=str(item["id"]))
        item["id"] = str(item["id"]).strip()
        problems = record_problems(item)
        if problems:
            raise BibliographyFormatError(
                "; ".join(problems),
                entry=item["id"],
                line=_item_line(text, position - 1),
            )
    return items


def _item_line(text: str, index: int) -> int:
    """Return the line on which the index-th item of a CSL-JSON file starts."""
    decoder = json.JSONDecoder()
    position = _SPACE.match(text, 0).end()
    if text[position : position + 1] != "[":
        return text.count("\n", 0, position) + 1
    position += 1
    for _ in range(index):
        position = _SPACE.match(text, position).end()
        _value, position = decoder.raw_decode(text, position)
        position = _SPACE.match(text, position).end() + 1  # past the comma
    position = _SPACE.match(text, position).end()
    return text.count("\n", 0, position) + 1


def dump(items: Iterable[dict[str, Any]]) -> str:
    """Serialise items as a CSL-JSON array, keys sorted for stable output."""
    return json.dumps(list(items), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def page_range(page: str) -> tuple[int, int] | None:
    """Return (first, last) page from a CSL "page" such as "201-30" or "45"."""
    match = _PAGES.match(str(page or ""))
    if not match:
        return None
    first = int(match[1])
    last_text = match[2] or match[1]
    if len(last_text) < len(match[1]):
        # Abbreviated ranges ("201-30") keep the leading digits of the first page.
        last_text = match[1][: len(match[1]) - len(last_text)] + last_text
    return first, int(last_text)


def year(item: dict[str, Any]) -> int | None:
    """Return the year an item was issued, if known."""
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    try:
        return int(parts[0][0])
    except (IndexError, TypeError, ValueError):
        return None
