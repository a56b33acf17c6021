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


EDITOR_JS = "broadsheet/editorial/static/editorial/editor.js"


@pytest.mark.parametrize("target", ["demo", "test"])
def test_make_builds_the_editor_before_serving_or_testing(target):
    # -W: as if the editor's source had just changed, so its recipe is printed.
    dry_run = subprocess.run(
        ["make", "-n", "-W", "frontend/editor/main.js", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = dry_run.splitlines()
    build = next(i for i, line in enumerate(lines) if "esbuild" in line)
    first_use = next(
        i
        for i, line in enumerate(lines)
        if ".venv/bin/pytest" in line or ".venv/bin/broadsheet demo" in line
    )
    assert build < first_use
    assert f"--outfile={EDITOR_JS}" in dry_run


def test_make_without_npm_skips_the_editor_with_a_notice_and_succeeds():
    # No PATH: the recipes' `command -v npm` finds nothing, as on a server without it.
    result = subprocess.run(
        [shutil.which("make"), "-W", "package-lock.json", EDITOR_JS],
        cwd=ROOT,
        env={"PATH": "/nonexistent"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "editor: npm not installed; the edit page keeps its plain text box" in (
        result.stdout
    )
