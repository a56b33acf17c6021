"""Fixtures for the import tests: an export written to a file."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.migration.wxr import default_header, export


@pytest.fixture
def write_export(tmp_path) -> Callable[..., Path]:
    """Write a WXR file of the default header and the given items; return its path."""

    def write(*items: str, header: list[str] | None = None, name="export.xml") -> Path:
        path = tmp_path / name
        parts = default_header() if header is None else header
        path.write_text(export(*parts, *items), encoding="utf-8")
        return path

    return write
