"""The frozen result of rendering: RenderedDocument and the values inside it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Note:
    """One numbered note: body HTML (without back-links) and its reference ids."""

    number: int
    label: str
    html: str
    ref_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """One table-of-contents entry."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the source, with the 1-based line it was found on."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """Everything derived from one Markdown source; stored as JSON on save."""

    html: str
    notes_html: str
    notes: tuple[Note, ...]
    toc: tuple[Heading, ...]
    word_count: int
    reading_minutes: int
    excerpt: str
    problems: tuple[Problem, ...]

    @property
    def has_problems(self) -> bool:
        """Return True when the source has at least one problem."""
        return bool(self.problems)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict; from_dict() reverses it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderedDocument:
        """Rebuild a RenderedDocument from the output of to_dict()."""
        return cls(
            html=data["html"],
            notes_html=data["notes_html"],
            notes=tuple(
                Note(
                    number=n["number"],
                    label=n["label"],
                    html=n["html"],
                    # JSON turns tuples into lists; frozen equality needs tuples back.
                    ref_ids=tuple(n["ref_ids"]),
                )
                for n in data["notes"]
            ),
            toc=tuple(Heading(**h) for h in data["toc"]),
            word_count=data["word_count"],
            reading_minutes=data["reading_minutes"],
            excerpt=data["excerpt"],
            problems=tuple(Problem(**p) for p in data["problems"]),
        )
