"""The benchmark harness (bench/harness/), imported the way bench/run.py imports it."""

import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent.parent / "bench"


@pytest.fixture(scope="session")
def harness():
    """The bench/harness package, every module of it loaded."""
    sys.path.insert(0, str(BENCH))  # harness imports its neighbour static_export
    try:
        importlib.import_module("harness.cli")  # cli imports every other module
        return sys.modules["harness"]
    finally:
        sys.path.remove(str(BENCH))
