"""Acts on the bibliography: importing files of works, reporting what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from broadsheet.sources.formats import BibliographyFormatError, bibtex, csljson
from broadsheet.sources.models import Work

__all__ = ["BibliographyFormatError", "ImportSummary", "import_works", "read_works"]


@dataclass
class ImportSummary:
    """What an import did: counts, plus one line per duplicate it refused to double."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    duplicates: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "skipped": self.skipped}


def read_works(text: str, *, filename: str = "") -> list[dict[str, Any]]:
    """Parse BibTeX or CSL-JSON (by file extension, else by content) into CSL items.

    Raises BibliographyFormatError naming the entry and line.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in (".json", ".csljson") or (
        suffix not in (".bib", ".bibtex") and text.lstrip()[:1] in ("[", "{")
    ):
        return csljson.parse(text)
    return bibtex.parse(text)


@transaction.atomic
def import_works(text: str, *, filename: str = "") -> ImportSummary:
    """Add or update works from a bibliography file, all or nothing.

    A work whose key exists is updated when its record differs, else skipped. A
    work whose DOI belongs to a work under another key, or repeats a key or DOI
    seen earlier in the file, is reported as a duplicate and not imported.
    Raises BibliographyFormatError (and imports nothing) for a malformed file.
    """
    items = read_works(text, filename=filename)
    summary = ImportSummary()
    existing = {work.key: work for work in Work.objects.all()}
    by_doi = {work.doi: work.key for work in existing.values() if work.doi}
    seen_keys: set[str] = set()
    seen_dois: dict[str, str] = {}
    for item in items:
        key = item["id"]
        doi = str(item.get("DOI", "")).strip().lower()
        if key in seen_keys:
            summary.duplicates.append(f"{key}: key repeated in the file; first kept")
            summary.skipped += 1
            continue
        if doi and doi in seen_dois:
            summary.duplicates.append(
                f"{key}: same DOI {doi} as {seen_dois[doi]} in the file; not imported"
            )
            summary.skipped += 1
            continue
        if doi and by_doi.get(doi, key) != key:
            summary.duplicates.append(
                f"{key}: same DOI {doi} as existing work {by_doi[doi]}; not imported"
            )
            summary.skipped += 1
            continue
        seen_keys.add(key)
        if doi:
            seen_dois[doi] = key
        work = existing.get(key)
        if work is None:
            Work.objects.create(key=key, csl=item)
            summary.added += 1
        elif dict(work.csl, id=key) == item:
            summary.skipped += 1
        else:
            work.csl = item
            work.save()
            summary.updated += 1
    return summary
