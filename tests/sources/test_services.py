"""Importing bibliography files: summaries, duplicates, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.pagecache.models import SurfaceChange
from broadsheet.sources.formats import bibtex, csljson
from broadsheet.sources.models import Work, WorkLookup
from broadsheet.sources.services import BibliographyFormatError, import_works

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def test_import_round_trip_through_the_database_keeps_every_entry():
    text = (DATA / "round_trip.bib").read_text(encoding="utf-8")
    first = import_works(text, filename="round_trip.bib")
    original = {key: dict(csl) for key, csl in WorkLookup().items()}

    exported = bibtex.dump(original[key] for key in sorted(original))
    Work.objects.all().delete()
    import_works(exported, filename="export.bib")
    via_json = csljson.dump(WorkLookup()[key] for key in sorted(original))
    again = import_works(via_json, filename="export.json")

    assert first.added == len(original) >= 50
    assert again.as_counts() == {"added": 0, "updated": 0, "skipped": len(original)}
    assert dict(WorkLookup().items()) == original


def test_import_reports_added_updated_and_skipped():
    import_works('[{"id": "a", "type": "book", "title": "A"}]', filename="a.json")

    summary = import_works(
        json.dumps(
            [
                {"id": "a", "type": "book", "title": "A, revised"},
                {"id": "b", "type": "book", "title": "B"},
            ]
        ),
        filename="b.json",
    )

    assert summary.as_counts() == {"added": 1, "updated": 1, "skipped": 0}
    assert Work.objects.get(key="a").title == "A, revised"


def test_duplicates_by_key_or_doi_are_reported_not_doubled():
    import_works(
        '[{"id": "held", "type": "book", "title": "T", "DOI": "10.1/X"}]',
        filename="held.json",
    )
    text = """
@book{held2, title = {Same DOI}, doi = {10.1/x}, year = {1900}}
@book{new1, title = {New}, doi = {10.1/y}, year = {1901}}
@book{new2, title = {New again}, doi = {https://doi.org/10.1/Y}, year = {1902}}
"""
    summary = import_works(text, filename="dupes.bib")

    assert summary.added == 1 and summary.skipped == 2
    assert Work.objects.count() == 2
    assert any("held2" in line and "held" in line for line in summary.duplicates)
    assert any("new2" in line and "new1" in line for line in summary.duplicates)


def test_malformed_bibtex_imports_nothing_from_the_file():
    with pytest.raises(BibliographyFormatError, match="broken1902"):
        import_works((DATA / "malformed.bib").read_text(), filename="malformed.bib")

    assert not Work.objects.exists()


def test_work_copies_key_doi_and_title_out_of_its_record():
    work = Work.objects.create(
        key="k", csl={"type": "book", "title": "Bread", "DOI": "10.9/AB"}
    )

    assert (work.csl["id"], work.doi, work.title) == ("k", "10.9/ab", "Bread")


def test_an_import_marks_the_sources_pages_stale_once(
    django_capture_on_commit_callbacks,
):
    import_works('[{"id": "a", "type": "book", "title": "A"}]', filename="a.json")
    SurfaceChange.objects.all().delete()
    text = json.dumps(
        [{"id": "a", "type": "book", "title": "A, revised"}]
        + [{"id": f"b{n}", "type": "book", "title": "B"} for n in range(20)]
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_works(text, filename="b.json")
    with django_capture_on_commit_callbacks(execute=True) as unchanged:
        import_works(text, filename="b.json")

    assert len(callbacks) == 1 and not unchanged
    journal = SurfaceChange.objects.values_list("surface", flat=True)
    assert list(journal.filter(surface="sources")) == ["sources"]
    assert Work.objects.get(key="a").title == "A, revised"
