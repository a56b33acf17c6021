"""Bibliography file formats: parse to and serialise from CSL-JSON (no ORM)."""

from __future__ import annotations


class BibliographyFormatError(ValueError):
    """Raised when a bibliography file cannot be read; names the entry and line."""

    def __init__(self, message: str, *, entry: str = "", line: int = 0) -> None:
        self.entry, self.line = entry, line
        where = f"line {line}: " if line else ""
        what = f"entry {entry!r}: " if entry else ""
        super().__init__(f"{where}{what}{message}")
