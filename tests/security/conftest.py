"""Fixtures of the security tests: Chromium as the browser tests have it, and a
demo site of their own (the XSS corpus changes site-wide settings), served
once per test process, with the administrator logged in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from tests.browser import conftest as browser_conftest
from tests.security.backoffice import BackOffice
from tests.security.browsing import Inspector
from tests.security.pushing import Tally
from tests.system import serving
from tests.system.serving import Site

browser = browser_conftest.browser


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo site, served, with every list on one page (the corpus fills lists
    with hundreds of articles, terms and authors; each list is one page load)."""
    browser_conftest.skip_without_chromium()
    env = serving.make_site_env(tmp_path_factory.mktemp("security-var"))
    env["BROADSHEET_PAGE_SIZE"] = "1000"
    with serving.served_site(env, workers=1, startup_timeout=90) as served:
        yield served


@pytest.fixture(scope="session")
def tally() -> Iterator[Tally]:
    """Vectors pushed and pages loaded; the summary line is printed at the end."""
    counted = Tally()
    yield counted
    print("\n" + counted.summary())


@pytest.fixture(scope="session")
def office(hostile_site) -> BackOffice:
    return BackOffice(hostile_site)


@pytest.fixture(scope="session")
def byline(office) -> str:
    """A demo author's id: a published article needs a byline."""
    form = BeautifulSoup(office.get("/newsroom/articles/new/").text, "html.parser")
    return form.select("select[name=authors] option[value]")[1]["value"]


@pytest.fixture(scope="module")
def reader(browser, hostile_site, tally) -> Iterator[Inspector]:
    """A reader's Chromium (no session)."""
    inspector = Inspector(browser, hostile_site.base_url)
    tally.inspectors.append(inspector)
    yield inspector
    inspector.close()


@pytest.fixture(scope="module")
def editor(browser, hostile_site, office, tally) -> Iterator[Inspector]:
    """The administrator's Chromium, for newsroom pages."""
    inspector = Inspector(
        browser, hostile_site.base_url, storage_state=office.storage_state()
    )
    tally.inspectors.append(inspector)
    yield inspector
    inspector.close()
