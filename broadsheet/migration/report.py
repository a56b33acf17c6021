"""ImportReport: what an import did, item by item, as the lines the CLI prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemLine:
    """One finding about one imported post or page, with the body line it is on."""

    item: str  # 'post 12 "Title"'
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f", body line {self.line}" if self.line else ""
        return f"{self.item}{where}: {self.message}"


@dataclass
class ImportReport:
    """Counts by type, warnings, removed shortcodes, note problems, skipped items."""

    source: str = ""
    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    comments_skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    shortcodes: list[ItemLine] = field(default_factory=list)
    kept_brackets: list[ItemLine] = field(default_factory=list)
    problems: list[ItemLine] = field(default_factory=list)  # notes and rendering
    drafted: list[ItemLine] = field(default_factory=list)
    missing_media: list[ItemLine] = field(default_factory=list)  # URL kept

    def count(self, name: str, by: int = 1) -> None:
        """Add `by` to the count called `name` (a zero adds no line)."""
        if by:
            self.counts[name] += by

    def warn(self, message: str) -> None:
        """Add a line under Warnings."""
        self.warnings.append(message)

    def lines(self) -> list[str]:
        """The report as printed: a heading and its lines per non-empty section."""
        title = "Dry run (nothing was saved)" if self.dry_run else "Imported"
        out = [f"{title} from {self.source or 'the export'}:"]
        out += [f"  {name}: {n}" for name, n in sorted(self.counts.items()) if n]
        skipped = dict(sorted(self.skipped.items()))
        if self.comments_skipped:
            skipped["comments"] = self.comments_skipped
        sections = [
            ("Skipped (not imported)", [f"{k}: {v}" for k, v in skipped.items()]),
            ("Imported as drafts, not published", self.drafted),
            ("Note and rendering problems", self.problems),
            ("Unknown shortcodes removed", self.shortcodes),
            ("Media files not in the library (old URL kept)", self.missing_media),
            ("Bracketed words kept as text (shortcodes?)", self.kept_brackets),
            ("Warnings", self.warnings),
        ]
        for heading, entries in sections:
            if entries:
                out.append(f"{heading} ({len(entries)}):")
                out += [f"  {entry}" for entry in entries]
        return out
