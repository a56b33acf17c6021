"""Fixtures for rendering tests: a render that cannot hang the test run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from broadsheet.rendering import RenderedDocument

REPO_ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
import json, sys
from broadsheet.rendering import render
request = json.load(sys.stdin)
document = render(request["source"], **request["options"])
json.dump(document.to_dict(), sys.stdout)
"""


@pytest.fixture
def render_bounded() -> Callable[..., RenderedDocument]:
    """Render in a child process killed after `seconds`, failing the test then.

    A regression to backtracking or quadratic work then fails the test instead
    of hanging the run; the limit is generous, the inputs are sized so that the
    fixed pipeline takes a small fraction of it.
    """

    def run(source: str, *, seconds: float = 20, **options: Any) -> RenderedDocument:
        try:
            result = subprocess.run(
                [sys.executable, "-c", _CHILD],
                input=json.dumps({"source": source, "options": options}),
                capture_output=True,
                text=True,
                cwd=REPO_ROOT,
                timeout=seconds,
                check=True,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"render of {len(source):,} characters took over {seconds} s")
        return RenderedDocument.from_dict(json.loads(result.stdout))

    return run
