"""Browser fixtures: one demo site and one Debian Chromium shared by the browser tests.

Every test module here runs in one xdist group, so the site is demo-loaded and served
once, and Chromium starts once, per test run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system import serving
from tests.system.serving import REPO_ROOT, Site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def skip_without_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed ({CHROMIUM} missing; make system-deps)")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo site, loaded by `broadsheet demo` and served by `broadsheet serve`."""
    skip_without_chromium()
    env = serving.make_site_env(tmp_path_factory.mktemp("browser-var"))
    with serving.served_site(env, workers=1, startup_timeout=90) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (its own browser builds are not used).

    Module-scoped: one thread can run only one Playwright at a time, and a module
    may start its own.
    """
    skip_without_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def axe_path() -> Path:
    """The axe-core script installed from npm (`make node-deps`)."""
    if not AXE.exists():
        pytest.skip(f"axe-core not installed ({AXE} missing; run `make node-deps`)")
    return AXE
