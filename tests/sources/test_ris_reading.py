"""RIS files read into CSL-JSON works: what the RIS export writes reads back."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.sources.formats import BibliographyFormatError, bibtex, ris
from broadsheet.sources.models import Work

DATA = Path(__file__).parent / "data"
COMPARED = (
    "id", "type", "title", "author", "editor", "container-title", "volume", "issue",
    "page", "issued", "DOI", "URL", "publisher", "publisher-place", "ISBN", "ISSN",
)  # fmt: skip


def test_the_ris_export_reads_back_to_the_same_works():
    items = bibtex.parse((DATA / "round_trip.bib").read_text(encoding="utf-8"))
    back = ris.parse_works(ris.dump(items))
    assert len(back) == len(items)
    for item, read in zip(items, back, strict=True):
        assert {k: read.get(k) for k in COMPARED} == {k: item.get(k) for k in COMPARED}


def test_a_record_without_an_id_gets_a_key_from_author_and_year():
    text = "TY  - BOOK\nAU  - Fielding, Ada\nTI  - Hedges\nPY  - 1998\nER  - \n" * 2
    assert [item["id"] for item in ris.parse_works(text)] == [
        "fielding1998",
        "fielding1998-2",
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("TY  - BOOK\nTI  - Hedges\nnot ris at all\nER  - \n", 3),
        ("TY  - BOOK\nTI  - Hedges\n", 1),
        ("TI  - Hedges\n", 1),
        ("TY  - BOOK\nID  - ok\nUR  - javascript:alert(1)\nER  - \n", 1),
    ],
)
def test_a_malformed_record_names_its_line(text, line):
    with pytest.raises(BibliographyFormatError) as raised:
        ris.parse_works(text)
    assert raised.value.line == line


@pytest.mark.django_db
def test_sources_import_reads_a_ris_file(tmp_path):
    path = tmp_path / "works.ris"
    path.write_text(
        "TY  - JOUR\nID  - voss2015\nAU  - Voss, Clara\nTI  - Paste\nER  - \n"
    )
    result = CliRunner().invoke(cli, ["sources", "import", str(path)])
    assert result.exit_code == 0, result.output
    work = Work.objects.get(key="voss2015")
    assert work.csl["type"] == "article-journal"
    assert work.csl["author"] == [{"family": "Voss", "given": "Clara"}]
