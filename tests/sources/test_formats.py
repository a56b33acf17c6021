"""Bibliography formats: BibTeX round trip, malformed entries, RIS and CSL-JSON."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest

from broadsheet.sources.formats import BibliographyFormatError, bibtex, csljson, ris

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def items():
    return bibtex.parse((DATA / "round_trip.bib").read_text(encoding="utf-8"))


def test_round_trip_file_has_fifty_varied_entries(items):
    assert len(items) >= 50
    assert {item["type"] for item in items} >= {
        "book", "article-journal", "article-newspaper", "chapter",
        "paper-conference", "thesis", "report", "webpage", "manuscript", "document",
    }  # fmt: skip


def test_bibtex_export_then_import_loses_and_changes_nothing(items):
    again = bibtex.parse(bibtex.dump(items))

    assert again == items


def test_csljson_export_then_import_loses_and_changes_nothing(items):
    assert csljson.parse(csljson.dump(items)) == items


def test_bibtex_import_decodes_latex_and_reads_names(items):
    by_key = {item["id"]: item for item in items}

    assert by_key["lind1862b"]["author"][0] == {"family": "Müller", "given": "Jörg"}
    assert by_key["oake1859a"]["author"][0] == {
        "family": "van der Berg",
        "given": "Hester",
    }
    assert {"literal": "Guild of Master Printers"} in [
        name for item in items for name in item.get("author", [])
    ]


def test_bibtex_export_parses_with_bibtexparser(items):
    library = bibtexparser.parse_string(bibtex.dump(items))

    assert not library.failed_blocks
    assert len(library.entries) == len(items)


def test_malformed_bibtex_names_the_entry_and_its_line():
    with pytest.raises(BibliographyFormatError) as caught:
        bibtex.parse((DATA / "malformed.bib").read_text(encoding="utf-8"))

    assert caught.value.entry == "broken1902"
    assert caught.value.line == 7
    assert "broken1902" in str(caught.value) and "line 7" in str(caught.value)


def test_ris_export_reads_back_one_record_per_work(items):
    records = ris.parse(ris.dump(items))

    assert len(records) == len(items)
    first = records[0]
    assert first["ID"] == [items[0]["id"]]
    assert first["TI"] == [items[0]["title"]]
    journal = next(r for r in records if r["TY"] == ["JOUR"])
    assert journal["SP"] and journal["EP"]


def test_csljson_parse_rejects_items_without_ids():
    with pytest.raises(BibliographyFormatError, match="item 2 has no id"):
        csljson.parse(json.dumps([{"id": "a", "type": "book"}, {"type": "book"}]))


@pytest.mark.parametrize(
    ("page", "expected"),
    [("201-30", (201, 230)), ("45", (45, 45)), ("12–19", (12, 19)), ("xii", None)],
)
def test_page_range_expands_abbreviated_ranges(page, expected):
    assert csljson.page_range(page) == expected
