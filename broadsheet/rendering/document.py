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


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the source, with the 1-based line it was found on.

    An error keeps the text from being published; a warning (something the page
    leaves out on purpose, such as an <iframe>) is shown to the writer only.
    """

    line: int
    code: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        if self.severity == WARNING:
            return f"line {self.line}: warning: {self.message}"
        return f"line {self.line}: {self.message}"

    @property
    def is_error(self) -> bool:
        """Return True when the problem blocks publishing."""
        return self.severity != WARNING


@dataclass(frozen=True, slots=True)
class CitationUse:
    """One work cited at one spot: its key, locator and the spot's anchor id."""

    key: str
    label: str
    locator: str
    line: int
    anchor: str
    passage: str = ""

    @property
    def locator_text(self) -> str:
        """Return the locator as a reader would write it, e.g. "page 43"."""
        return f"{self.label} {self.locator}".strip()


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
    # Defaults keep callers that predate citations working.
    citations: tuple[CitationUse, ...] = ()
    bibliography_html: str = ""

    @property
    def has_problems(self) -> bool:
        """Return True when the source has at least one problem."""
        return bool(self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Return the problems that block publishing (warnings left out)."""
        return tuple(problem for problem in self.problems if problem.is_error)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict; from_dict() reverses it.

        Citation fields are left out when empty, so a document without citations
        serialises exactly as it did before citations existed.
        """
        data = asdict(self)
        for name in ("citations", "bibliography_html"):
            if not data[name]:
                del data[name]
        return data

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
            citations=tuple(CitationUse(**c) for c in data.get("citations", ())),
            bibliography_html=data.get("bibliography_html", ""),
        )
