"""The Makefile's targets do what the README says, read from `make -n` (not run)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make not installed")


def site_urls_of_make_demo(port: str, **env: str) -> dict[str, str]:
    """The BROADSHEET_SITE_URL each `broadsheet <command>` of `make demo` would get."""
    base = {k: v for k, v in os.environ.items() if k != "BROADSHEET_SITE_URL"}
    base |= env
    dry_run = subprocess.run(
        ["make", "-n", "demo", f"PORT={port}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen = {}
    for line in dry_run.splitlines():
        before, found, after = line.partition(".venv/bin/broadsheet ")
        if found:
            # The line's own environment assignments, then print what they give.
            shown = subprocess.run(
                ["sh", "-c", f"{before} printenv BROADSHEET_SITE_URL"],
                env=base,
                capture_output=True,
                text=True,
            ).stdout.strip()
            seen[after.split()[0]] = shown
    return seen


def test_make_demo_gives_demo_and_serve_the_address_of_its_port():
    address = "http://127.0.0.1:8472"
    assert site_urls_of_make_demo("8472") == {"demo": address, "serve": address}


def test_make_demo_gives_both_a_site_address_set_in_the_environment():
    address = "https://magazine.example.org"
    seen = site_urls_of_make_demo("8472", BROADSHEET_SITE_URL=address)
    assert seen == {"demo": address, "serve": address}
