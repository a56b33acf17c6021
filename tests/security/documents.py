"""What goes into each field: vectors with their markers, in Markdown paragraphs,
link syntaxes, or packed into fields of a fixed length."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tests.security.xss_vectors import Vector

# Each web or script address in each way Markdown and raw HTML take a link.
LINK_FORMS = {  # a, b, e, f are Markdown's; c and d also HTML's
    "a": "[Link](URL) MARKER",
    "b": "![Picture](URL) MARKER",
    "c": '<a href="URL">Link</a> MARKER',
    "d": '<img src="URL" alt="Picture"> MARKER',
    "e": "[Link][refREF] MARKER\n\n[refREF]: URL",
    "f": "<URL> MARKER",
}


@dataclass(frozen=True)
class Item:
    """One vector as written into one field, and the marker text after it."""

    vector: Vector | None  # None: neutral text around the vectors
    text: str
    key: str  # the part of the marker a page must show, compared case-blind


def key_for(code: str, vector: Vector, *, short: bool) -> str:
    tail = "." if short else " dried"
    return f"Marker {code}{vector.id:03d}{tail}"


def items(
    code: str, vectors: Iterable[Vector], *, one_line: bool = False, short=False
) -> list[Item]:
    """Each vector followed by its marker (`short`: no more than needed)."""
    made = []
    for vector in vectors:
        key = key_for(code, vector, short=short)
        sentence = key if short else f"{key} evenly."
        made.append(Item(vector, vector.with_marker(sentence, one_line=one_line), key))
    return made


def link_items(
    code: str, vectors: Iterable[Vector], forms: str = "abcdef"
) -> list[Item]:
    """Each address in each link form of LINK_FORMS, with its own marker."""
    made = []
    for vector in vectors:
        for letter, form in LINK_FORMS.items():
            if letter not in forms:
                continue
            key = key_for(code + letter, vector, short=False)
            text = (
                form.replace("URL", vector.text)
                .replace("REF", str(vector.id))
                .replace("MARKER", f"{key} evenly.")
            )
            made.append(Item(vector, text, key))
    return made


def markdown(parts: Sequence[Item]) -> str:
    """The items as Markdown, each in its own paragraph."""
    return "\n\n".join(item.text for item in parts) + "\n"


def batches(parts: Sequence[Item], size: int) -> list[list[Item]]:
    return [list(parts[i : i + size]) for i in range(0, len(parts), size)]


def spread(parts: Sequence[Item], count: int) -> list[list[Item]]:
    """Split items, in order, into exactly `count` groups of near-equal size."""
    size = len(parts)
    return [
        list(parts[n * size // count : (n + 1) * size // count]) for n in range(count)
    ]


def pack(parts: Sequence[Item], limit: int) -> list[list[Item]]:
    """Split items into groups whose joined text (one space apart) fits `limit`."""
    groups: list[list[Item]] = [[]]
    length = 0
    for item in parts:
        if len(item.text) > limit:
            raise ValueError(f"{item.text!r} does not fit {limit} characters")
        if groups[-1] and length + 1 + len(item.text) > limit:
            groups.append([])
            length = 0
        length += len(item.text) + (1 if groups[-1] else 0)
        groups[-1].append(item)
    return [group for group in groups if group]


def joined(group: Sequence[Item]) -> str:
    return " ".join(item.text for item in group)


def keys(group: Iterable[Item]) -> list[str]:
    return [item.key for item in group]


def lines_of(parts: Sequence[Item]) -> list[tuple[int, int, Item]]:
    """Where each item lies in markdown(parts): (first line, last line, item)."""
    spans, line = [], 1
    for item in parts:
        last = line + item.text.count("\n")
        spans.append((line, last, item))
        line = last + 2  # the blank line between paragraphs
    return spans


def at_lines(parts: Sequence[Item], lines: Iterable[int]) -> list[Item]:
    """The items on any of `lines` of markdown(parts)."""
    wanted = set(lines)
    return [
        item
        for first, last, item in lines_of(parts)
        if any(first <= line <= last for line in wanted)
    ]


def error_lines(problems: Iterable[str]) -> dict[int, str]:
    """The lines of the blocking problems in `problems` ("line 3: ...")."""
    found: dict[int, str] = {}
    for problem in problems:
        match = re.search(r"\bline (\d+): (?!warning:)", problem, re.IGNORECASE)
        if match:
            found.setdefault(int(match[1]), problem)
    return found


def answered(parts: Sequence[Item], problems: Iterable[str]) -> dict[Item, str]:
    """The items of markdown(parts) on the line of a blocking problem, with it."""
    found: dict[Item, str] = {}
    for line, problem in error_lines(problems).items():
        for item in at_lines(parts, [line]):
            found.setdefault(item, problem)
    return found


def neutral(code: str, texts: Iterable[str]) -> list[Item]:
    """Ordinary sentences (citing a work, say), each with its own marker."""
    made = []
    for number, text in enumerate(texts):
        key = f"Marker {code}{number:03d} dried"
        made.append(Item(None, f"{text} {key} evenly.", key))
    return made


def for_html(parts: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """Split items for a field read as HTML: those it shows, and those ending in
    an open tag, which take in what follows them there (put each last)."""
    shown = [i for i in parts if not (i.vector and i.vector.opens_tag)]
    return shown, [i for i in parts if i.vector and i.vector.opens_tag]
