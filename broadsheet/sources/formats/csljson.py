"""CSL-JSON: the bibliography's own format (https://citationstyles.org/)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from broadsheet.sources.formats import BibliographyFormatError
from broadsheet.sources.validation import MAX_NESTING, key_problem, record_problems

_SPACE = re.compile(r"\s*")
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_PAGES = re.compile(r"^\s*(\d+)\s*(?:[-–—]+\s*(\d+))?\s*$")


def parse(text: str) -> list[dict[str, Any]]:
    """Parse a CSL-JSON array (or one object) into a list of items with ids.

    Raises BibliographyFormatError naming the first item that may not be stored
    (a key that is not text, a field of the wrong type, a javascript: URL) and
    its line; nothing is returned from a file with such an item.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BibliographyFormatError(
            f"not valid JSON: {error.msg}", line=error.lineno
        ) from error
    except RecursionError:
        raise BibliographyFormatError(
            f"lists and objects nest more than {MAX_NESTING} deep",
            line=_too_deep_line(text),
        ) from None
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BibliographyFormatError("CSL-JSON must be an array of items")
    for position, item in enumerate(items, start=1):
        entry, problems = _check(item, position)
        if problems:
            raise BibliographyFormatError(
                "; ".join(problems), entry=entry, line=_item_line(text, position - 1)
            )
    return items


def _check(item: Any, position: int) -> tuple[str, list[str]]:
    """Return (the item's name for messages, its problems); set its id to text."""
    entry = f"item {position}"
    if not isinstance(item, dict):
        return entry, [f"{entry} is not an object"]
    key = item.get("id")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)  # the schema allows numbers as ids
    elif isinstance(key, str):
        key = key.strip()
    if key is None or key == "":
        return entry, [f"{entry} has no id"]
    problem = key_problem(key)
    if problem:
        return (key if isinstance(key, str) else entry), [problem]
    item["id"] = key
    return key, record_problems(item)


def _too_deep_line(text: str) -> int:
    """Return the line where lists and objects first nest past MAX_NESTING."""
    depth = 0
    # Everything before the point json gave up at is valid JSON, so every
    # string up to there is closed: the scan is linear.
    for match in _STRUCTURE.finditer(text):
        token = match[0]
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth -= 1
    return 0


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
