"""`broadsheet sources import`: summary lines and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.sources.models import Work

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def test_sources_import_prints_a_summary():
    result = CliRunner().invoke(
        cli, ["sources", "import", str(DATA / "round_trip.bib")]
    )

    assert result.exit_code == 0, result.output
    assert "Imported round_trip.bib: 56 added, 0 updated, 0 skipped." in result.output
    assert Work.objects.count() == 56


def test_sources_import_names_the_malformed_entry_and_imports_nothing():
    result = CliRunner().invoke(cli, ["sources", "import", str(DATA / "malformed.bib")])

    assert result.exit_code == 1
    assert "line 7" in result.output and "broken1902" in result.output
    assert "nothing imported" in result.output
    assert not Work.objects.exists()


def test_sources_import_refuses_a_javascript_url_naming_entry_and_line(tmp_path):
    bib = tmp_path / "links.bib"
    bib.write_text(
        "@book{safe1901, title = {Type Specimens}, year = {1901},\n"
        "  url = {https://example.org/specimens}}\n"
        "\n"
        "@online{trap1902,\n"
        "  title = {Ink Recipes}, year = {1902},\n"
        "  url = {javascript:alert(1)//http://x}}\n",
        encoding="utf-8",
    )

    result = CliRunner().invoke(cli, ["sources", "import", str(bib)])

    assert result.exit_code == 1
    assert "line 4" in result.output and "trap1902" in result.output
    assert "URL 'javascript:alert(1)//http://x' must start with http://" in (
        result.output
    )
    assert "nothing imported" in result.output
    assert not Work.objects.exists()


def test_sources_import_refuses_a_script_link_in_csl_json(tmp_path):
    items = [
        {"id": "safe1901", "type": "book", "title": "Type Specimens"},
        {"id": "trap1902", "type": "webpage", "title": "Ink", "URL": " javascript:x"},
    ]
    path = tmp_path / "links.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")

    result = CliRunner().invoke(cli, ["sources", "import", str(path)])

    assert result.exit_code == 1
    assert "line 7" in result.output and "trap1902" in result.output
    assert "URL" in result.output and "nothing imported" in result.output
    assert not Work.objects.exists()


GOOD_BIB = "@book{good1901,\n  title = {Type Specimens},\n  year = {1901}}\n\n"
GOOD_JSON = '[\n  {"id": "good1901", "type": "book", "title": "Type Specimens"},\n'
LONG_KEY = "k" * 5000
NESTED_EMPH = "\\emph{" * 200 + "ink" + "}" * 200


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "slash.bib", GOOD_BIB + "@book{press/1902, title = {T}, year = {1902}}\n",
            ["line 5", "'press/1902'", "no spaces or /"], id="bibtex key with a slash",
        ),
        pytest.param(
            "long.bib", GOOD_BIB + f"@book{{{LONG_KEY}, title = {{T}}}}\n",
            ["line 5", "5000 characters long; at most 100"], id="bibtex key 5000 long",
        ),
        pytest.param(
            "deep.bib", GOOD_BIB + f"@book{{deep1902, title = {{{NESTED_EMPH}}}}}\n",
            ["line 5", "deep1902", "title nests braces more than 20 deep"],
            id="bibtex with 200 nested emph",
        ),
        pytest.param(
            "names.bib",
            GOOD_BIB + "@book{odd1902, author = {Doe, Jr, John, Extra}, title = {T}}\n",
            ["line 5", "odd1902", "a name cannot be read", "Too many commas"],
            id="bibtex name with too many commas",
        ),
        pytest.param(
            "author.json",
            GOOD_JSON + '  {"id": "doe1902", "type": "book", "author": "Jane Doe"}\n]',
            ["line 3", "doe1902", "author must be a list of names"],
            id="author as a string",
        ),
        pytest.param(
            "issued.json",
            GOOD_JSON + '  {"id": "doe1902", "type": "book", "issued": "1902"}\n]',
            ["line 3", "doe1902", "issued must be a date object"],
            id="issued as a string",
        ),
        pytest.param(
            "title.json",
            GOOD_JSON + '  {"id": "doe1902", "type": "book", "title": {"a": 1}}\n]',
            ["line 3", "doe1902", "title must be text or a number, not an object"],
            id="title as an object",
        ),
        pytest.param(
            "listid.json",
            GOOD_JSON + '  {"id": ["list"], "type": "book"}\n]',
            ["line 3", "item 2", "the key must be text, not a list"],
            id="a list as id",
        ),
        pytest.param(
            "slashid.json",
            GOOD_JSON + '  {"id": "http://zotero.org/items/1", "type": "book"}\n]',
            ["line 3", "may only hold letters, digits"],
            id="an id with slashes",
        ),
        pytest.param(
            "deep.json",
            GOOD_JSON + '  {"id": "deep1902", "type": "book", "note":\n'
            + "[" * 1000 + "]" * 1000 + "}\n]",
            ["line 4", "nest more than 20 deep"],
            id="json nested 1000 deep",
        ),
        pytest.param(
            "type.json",
            GOOD_JSON + '  {"id": "doe1902", "type": "journalArticle"}\n]',
            ["line 3", "doe1902", "type 'journalArticle' is not a CSL type"],
            id="an unknown type",
        ),
    ],
)  # fmt: skip
def test_sources_import_refuses_what_would_break_the_site(
    tmp_path, name, text, expected
):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(cli, ["sources", "import", str(path)])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "Traceback" not in result.output
    for fragment in expected:
        assert fragment in result.output
    assert "nothing imported" in result.output
    assert not Work.objects.exists()


def test_sources_import_is_all_or_nothing_when_a_later_entry_is_bad(tmp_path):
    path = tmp_path / "mixed.json"
    items = [{"id": f"ink{n}", "type": "book", "title": "Ink"} for n in range(50)]
    items.append({"id": "bad", "type": "book", "author": [{"family": ["x"]}]})
    path.write_text(json.dumps(items), encoding="utf-8")

    result = CliRunner().invoke(cli, ["sources", "import", str(path)])

    assert result.exit_code == 1
    assert (
        "'bad'" in result.output and "author has a name whose family" in result.output
    )
    assert not Work.objects.exists()
