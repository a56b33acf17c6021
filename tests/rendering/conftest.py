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

_GROWTH_CHILD = """
import gc, json, sys, time
from broadsheet.rendering import render
request = json.load(sys.stdin)
render(request["sources"][0], **request["options"])  # warm: imports, compiled patterns
gc.disable()  # collections triggered by allocation counts add noise, not work
spent = []
for source in request["sources"]:
    started = time.process_time()
    render(source, **request["options"])
    spent.append(time.process_time() - started)
json.dump(spent, sys.stdout)
"""

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
        request = {"source": source, "options": options}
        answer = _in_a_child(_CHILD, request, seconds, f"{len(source):,} characters")
        return RenderedDocument.from_dict(answer)

    return run


@pytest.fixture
def render_growth() -> Callable[..., float]:
    """How much more CPU time a render of `make(4 * n)` takes than one of `make(n)`.

    Linear work gives about 4 (up to 7 measured), quadratic about 16,
    backtracking far more. CPU time of one process, as a ratio, barely moves with
    the machine's load, which wall clock limits did (a 10 s limit failed on a busy
    2-core machine). The child is killed after `seconds`, so a regression fails
    instead of hanging the run.
    """

    def run(
        make: Callable[[int], str], n: int, *, seconds: float = 120, **options: Any
    ) -> float:
        sources = [make(n), make(4 * n)]
        request = {"sources": sources, "options": options}
        what = f"{len(sources[1]):,} characters"
        small, large = _in_a_child(_GROWTH_CHILD, request, seconds, what)
        return large / max(small, 1e-3)

    return run


def _in_a_child(script: str, request: dict, seconds: float, what: str) -> Any:
    """Run `script` with `request` as JSON on stdin; its JSON answer, or a failed
    test when it runs past `seconds`."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=seconds,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"rendering {what} took over {seconds} s")
    return json.loads(result.stdout)
