"""What a work's key and CSL-JSON record must be before it is stored, and a safe copy.

Every path that writes works checks here: the file formats when they parse (so
an import names the entry and its line), `Work.clean()` for the back office and
`Work.save()` for everything else. Rows stored before these checks existed are
read through `displayable()`, which leaves out what would break a page or link a
script, so public pages stay up whatever the database holds.

The shapes follow the CSL-JSON schema (csl-data.json, CSL 1.0.2): names are
lists of name objects, dates are date objects, other variables text or numbers.
"""

from __future__ import annotations

import math
import re
from typing import Any

from broadsheet.sources.url_schemes import WEB, has_allowed_scheme

KEY_MAX_LENGTH = 100
DOI_MAX_LENGTH = 200  # the width of Work.doi
# Deep enough for any real record (an item's dates nest three deep), shallow
# enough that no parser, serialiser or template recurses anywhere near its limit.
MAX_NESTING = 20

# Letters, digits and _, with - : . + inside: citable as [@key] and safe as one
# URL path segment and one file name in the static export (so no "/").
_KEY = re.compile(r"\w(?:[\w:.+-]*\w)?")
KEY_RULE = "letters, digits and _, with - : . + inside, no spaces or /"

TYPES = frozenset(
    {
        "article", "article-journal", "article-magazine", "article-newspaper",
        "bill", "book", "broadcast", "chapter", "classic", "collection", "dataset",
        "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
        "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
        "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
        "paper-conference", "patent", "performance", "periodical",
        "personal_communication", "post", "post-weblog", "regulation", "report",
        "review", "review-book", "software", "song", "speech", "standard",
        "thesis", "treaty", "webpage",
    }
)  # fmt: skip
NAME_VARIABLES = frozenset(
    {
        "author", "chair", "collection-editor", "compiler", "composer",
        "container-author", "contributor", "curator", "director", "editor",
        "editorial-director", "executive-producer", "guest", "host", "illustrator",
        "interviewer", "narrator", "organizer", "original-author", "performer",
        "producer", "recipient", "reviewed-author", "script-writer",
        "series-creator", "translator",
    }
)  # fmt: skip
DATE_VARIABLES = frozenset(
    {"accessed", "available-date", "event-date", "issued", "original-date",
     "submitted"}
)  # fmt: skip


def key_problem(key: object) -> str | None:
    """Return why `key` cannot be a work's citation key, or None if it can."""
    if not isinstance(key, str):
        return f"the key must be text, not {_kind(key)}"
    if not key:
        return "the key is empty"
    if len(key) > KEY_MAX_LENGTH:
        return f"the key is {len(key)} characters long; at most {KEY_MAX_LENGTH}"
    if not _KEY.fullmatch(key):
        return f"the key {_shown(key)} may only hold {KEY_RULE}"
    return None


def record_problems(item: object) -> list[str]:
    """Return what is wrong with one CSL-JSON item, one sentence per field."""
    if not isinstance(item, dict):
        return [f"a CSL-JSON record must be an object, not {_kind(item)}"]
    problems = []
    kind = item.get("type")
    if not isinstance(kind, str) or not kind:
        problems.append('type must be given as text, such as "book"')
    elif kind not in TYPES:
        problems.append(f"type {_shown(kind)} is not a CSL type")
    for variable, value in item.items():
        problem = _value_problem(variable, value)
        if problem:
            problems.append(f"{variable} {problem}")
    return problems


def displayable(record: object, key: str) -> dict[str, Any]:
    """Return a stored record with `key` as its id, without fields it may not hold.

    For rows stored before the checks: pages, exports and rendering get what
    is well-formed and safe of them rather than failing or linking a script.
    """
    safe: dict[str, Any] = {"type": "document"}
    if isinstance(record, dict):
        for variable, value in record.items():
            if isinstance(variable, str) and _value_problem(variable, value) is None:
                safe[variable] = value
        if record.get("type") in TYPES:
            safe["type"] = record["type"]
    safe["id"] = key
    return safe


def _value_problem(variable: str, value: Any) -> str | None:
    if variable in ("id", "type"):
        return None  # checked as the key and by record_problems
    if variable in NAME_VARIABLES:
        return _names_problem(value)
    if variable in DATE_VARIABLES:
        return _date_problem(value)
    if variable == "categories":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return "must be a list of text"
    if variable == "custom":
        if isinstance(value, dict) and _depth(value) <= MAX_NESTING:
            return None
        return f"must be an object nested at most {MAX_NESTING} deep"
    if not _is_text(value):
        return f"must be text or a number, not {_kind(value)}"
    if variable == "URL" and not has_allowed_scheme(str(value), WEB):
        return f"{_shown(str(value))} must start with http:// or https://"
    if variable == "DOI":
        return _doi_problem(str(value))
    return None


def _names_problem(value: Any) -> str | None:
    if not isinstance(value, list):
        return (
            f"must be a list of names such as "
            f'[{{"family": "Doe", "given": "Jane"}}], not {_kind(value)}'
        )
    for name in value:
        if not isinstance(name, dict):
            return (
                f'must list names as objects such as {{"family": "Doe"}}, '
                f"not {_kind(name)}"
            )
        for part, text in name.items():
            if not (_is_text(text) or isinstance(text, bool)):
                return f"has a name whose {part} is {_kind(text)}, not text"
    return None


def _date_problem(value: Any) -> str | None:
    example = 'such as {"date-parts": [[1998, 4, 2]]}'
    if not isinstance(value, dict):
        return f"must be a date object {example}, not {_kind(value)}"
    for part, inner in value.items():
        if part == "date-parts":
            if not _is_date_parts(inner):
                return f"has date-parts that are not lists of numbers, {example}"
        elif not (_is_text(inner) or isinstance(inner, bool)):
            return f"has a {part} that is {_kind(inner)}, not text"
    return None


def _is_date_parts(value: Any) -> bool:
    if not isinstance(value, list) or not 1 <= len(value) <= 2:
        return False
    return all(
        isinstance(parts, list)
        and len(parts) <= 3
        and all(
            (isinstance(p, int) and not isinstance(p, bool))
            or (isinstance(p, str) and p.strip().lstrip("-").isdigit())
            for p in parts
        )
        for parts in value
    )


def _doi_problem(doi: str) -> str | None:
    # Every DOI starts with the directory indicator "10."; the CSL processor
    # links it under https://doi.org/, and a resolver link must be a web link.
    value = doi.strip()
    if len(value) > DOI_MAX_LENGTH:
        return f"is {len(value)} characters long; at most {DOI_MAX_LENGTH}"
    if value and not (value.startswith("10.") or has_allowed_scheme(value, WEB)):
        return f"{_shown(doi)} must be a DOI (10.…) or an http:// or https:// link"
    return None


def _is_text(value: Any) -> bool:
    # NUL and non-finite numbers are refused because PostgreSQL's jsonb cannot
    # store them.
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _depth(value: Any) -> int:
    """Return how deeply lists and objects nest in value, without recursing."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_NESTING:
                break
            children = current.values() if isinstance(current, dict) else current
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    for kind, name in ((bool, "true or false"), (str, "text"), (list, "a list")):
        if isinstance(value, kind):
            return name
    return "an object" if isinstance(value, dict) else "a number"


def _shown(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")
