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
