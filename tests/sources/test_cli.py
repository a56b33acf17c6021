"""`broadsheet sources import`: summary lines and clear errors."""

from __future__ import annotations

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
