"""Citation locators: "p. 43" after a key, read as a CSL label and value.

A locator is where a citation most often goes wrong unnoticed (a page range
written backwards, "pg4" for "p. 4"), so each malformed or stray one is a
problem of its own rather than text passed on to the processor. Every pattern
here runs on writers' text and is linear: possessive forms (Python 3.11) keep a
failed match from retrying shorter runs, and values are split with plain string
methods.
"""

from __future__ import annotations

import re

from broadsheet.rendering.document import Problem

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


def read_locator(key: str, suffix: str, line: int) -> tuple[str, str, Problem | None]:
    """Return a cited item's (CSL label, locator value) and its problem, if any."""
    label, value, ok = parse_locator(suffix)
    looks_like_locator = bool(label) or suffix.strip(" ,")[:1].isdigit()
    problem = None
    if not looks_like_locator and _is_stray_word(suffix):
        problem = Problem(
            line,
            "not-a-locator",
            f"citation @{key} has \u201c{suffix.strip(' ,')}\u201d "
            "where a locator goes: write a term and a number, "
            "such as \u201cp. 4\u201d or \u201cchap. 2\u201d",
        )
    elif looks_like_locator and not ok:
        problem = Problem(
            line,
            "malformed-locator",
            f"citation @{key} has a malformed locator \u201c{suffix.strip(' ,')}\u201d",
        )
    return label, value, problem


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
