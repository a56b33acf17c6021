"""Fixtures for the Markdown-folder tests: a folder written from a dict of files."""

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def folder(tmp_path) -> Callable[..., Path]:
    """Write {relative path: text or bytes} under a new folder; return the folder."""

    def write(files: dict[str, str | bytes], name: str = "site") -> Path:
        root = tmp_path / name
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return write
