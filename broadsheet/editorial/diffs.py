"""Readable differences between two revisions: Markdown lines, fields, notes, citations.

difflib (the standard library) compares lines; it never runs a regular
expression over the writer's text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from broadsheet.content.models import Author, Category, Tag
from broadsheet.editorial.revisions import Content
from broadsheet.media.models import Image

# Unchanged lines shown around each change.
CONTEXT_LINES = 2


@dataclass(frozen=True)
class Line:
    """One line of a diff: kind is "same", "added", "removed" or "gap"."""

    kind: str
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


def body_lines(old: str, new: str) -> list[Line]:
    """The changed lines of the Markdown, with a little context around each."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        if lines:
            lines.append(Line("gap", "\u2026"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    Line("same", a[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)
                ]
                continue
            lines += [Line("removed", a[i], old_number=i + 1) for i in range(i1, i2)]
            lines += [Line("added", b[j], new_number=j + 1) for j in range(j1, j2)]
    return lines


def field_changes(old: Content, new: Content) -> list[FieldChange]:
    """Title, subtitle, excerpt, byline and terms that differ, by name."""
    changes = []
    for name in ("title", "subtitle", "excerpt"):
        if (old.get(name) or "") != (new.get(name) or ""):
            changes.append(
                FieldChange(name, str(old.get(name) or ""), str(new.get(name) or ""))
            )
    if old.get("featured_image") != new.get("featured_image"):
        changes.append(
            FieldChange(
                "featured image",
                _names(Image, [old.get("featured_image")]),
                _names(Image, [new.get("featured_image")]),
            )
        )
    if bool(old.get("sticky")) != bool(new.get("sticky")):
        changes.append(
            FieldChange(
                "lead story", _yes_no(old.get("sticky")), _yes_no(new.get("sticky"))
            )
        )
    for name, model in (("authors", Author), ("categories", Category), ("tags", Tag)):
        if list(old.get(name) or []) != list(new.get(name) or []):
            changes.append(
                FieldChange(
                    name, _names(model, old.get(name)), _names(model, new.get(name))
                )
            )
    return changes


def _names(model, ids) -> str:
    ids = [pk for pk in ids or [] if pk is not None]
    found = model.objects.in_bulk(ids)
    return ", ".join(str(found[pk]) for pk in ids if pk in found) or "(none)"


@dataclass(frozen=True)
class SourceChanges:
    notes_added: list[str]
    notes_removed: list[str]
    notes_changed: list[str]
    cited_added: list[str]
    cited_removed: list[str]

    def __bool__(self) -> bool:
        return any(vars(self).values())


def source_changes(old_notes, new_notes, old_keys, new_keys) -> SourceChanges:
    """Which notes (by label) and which cited works (by key) a revision changed."""
    old_notes, new_notes = dict(old_notes or {}), dict(new_notes or {})
    return SourceChanges(
        notes_added=[label for label in new_notes if label not in old_notes],
        notes_removed=[label for label in old_notes if label not in new_notes],
        notes_changed=[
            label
            for label, digest in new_notes.items()
            if label in old_notes and old_notes[label] != digest
        ],
        cited_added=sorted(set(new_keys or []) - set(old_keys or [])),
        cited_removed=sorted(set(old_keys or []) - set(new_keys or [])),
    )


def _yes_no(value: object) -> str:
    return "yes" if value else "no"
