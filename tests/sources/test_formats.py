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


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (r"Sets \{a, b\} in {DNA} \emph{print}", "Sets {a, b} in DNA print"),
        (r"Only {Protected} words", "Only Protected words"),
    ],
    ids=["escaped-braces-kept", "grouping-braces-dropped"],
)
def test_bibtex_import_keeps_braces_written_as_text(title, text):
    # \{ is a brace in LaTeX: dropping every brace after decoding lost them.
    (item,) = bibtex.parse(f"@misc{{k, title = {{{title}}}, year = {{1999}}}}")

    assert item["title"] == text


def test_bibtex_import_keeps_a_percent_sign_in_text_without_latex(items):
    by_key = {item["id"]: item for item in items}

    # pylatexenc alone would read "% care." as a LaTeX comment and drop it.
    assert by_key["marlow1850a"]["abstract"] == (
        "A short study; with commas, semicolons and 100% care."
    )


@pytest.mark.parametrize(
    ("month", "expected"),
    [("jan", 1), ("{January}", 1), ('"9"', 9), ("{Sept.}", 9), ("{ oct }", 10),
     ("{midsummer}", None)],
)  # fmt: skip
def test_bibtex_import_reads_month_names_and_numbers(month, expected):
    text = f"@article{{ink1901, TITLE = {{Ink}}, Year = 1901, month = {month}}}"

    [item] = bibtex.parse(text)

    assert item["title"] == "Ink"
    assert item["issued"] == {"date-parts": [[1901, expected] if expected else [1901]]}


NESTED_ENVIRONMENTS = "\\begin{a}" * 1500 + "ink" + "\\end{a}" * 1500


@pytest.mark.parametrize(
    "field",
    [f"title = {{{NESTED_ENVIRONMENTS}}}",
     f"author = {{{NESTED_ENVIRONMENTS} and Doe, Jane}}"],
    ids=["in a text field", "in a name"],
)  # fmt: skip
def test_bibtex_latex_nested_too_deep_for_the_decoder_is_refused(field):
    # One brace level each, so the brace limit lets it through to the decoder.
    text = "@book{good1901, title = {Type}}\n\n@book{deep1902,\n  " + field + "\n}\n"

    with pytest.raises(BibliographyFormatError) as caught:
        bibtex.parse(text)

    assert (caught.value.entry, caught.value.line) == ("deep1902", 3)
    assert "nests LaTeX too deeply to read" in str(caught.value)


def test_bibtex_export_of_a_name_ending_in_a_backslash_still_parses():
    item = {
        "id": "slash1901", "type": "book", "title": "Type",
        "author": [{"family": "Doe", "given": "J\\"}, {"family": "Roe", "given": "A."}],
    }  # fmt: skip

    library = bibtexparser.parse_string(bibtex.dump([item]))

    assert not library.failed_blocks
    [entry] = library.entries
    assert entry["title"] == "Type"
    assert entry["author"] == "Doe, J\\\\ and Roe, A."


def test_ris_export_has_crlf_lines_no_record_numbers_and_one_sn_line_each():
    item = {"id": "ink1901", "type": "book", "title": "Ink", "ISBN": "978-0-00-1",
            "ISSN": "1234-5678", "URL": "https://example.org/ink"}  # fmt: skip

    text = ris.dump([item, {**item, "id": "ink1902"}])

    assert text.startswith("TY  - BOOK\r\nID  - ink1901\r\nTI  - Ink\r\n")
    assert "\n1." not in text and not text.startswith("1.")
    assert text.count("\r\n") == text.count("\n")
    [first, _second] = ris.parse(text)
    assert first["SN"] == ["978-0-00-1", "1234-5678"]
    assert first["UR"] == ["https://example.org/ink"]
