"""Fixtures for tests that run real processes: ports, site environments, databases.

tests/system/conftest.py exposes them to tests/system; test modules elsewhere
(tests/readership, tests/browser) bind the ones they use by assignment, because
conftest fixtures only reach their own directory.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import pgserver
from tests.system import serving

# The same tests run on both databases; `-m postgres` selects the PostgreSQL half.
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_CLUSTER_KEY = pytest.StashKey[
    "pgserver.PostgresCluster | pgserver.PostgresUnavailable"
]()


@dataclass(frozen=True)
class Database:
    """Where a site keeps its data: `url` is None for the default SQLite file."""

    vendor: str
    url: str | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment variables that point a site at this database."""
        return {"DATABASE_URL": self.url} if self.url else {}


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    return pgserver.free_port()


@pytest.fixture
def site_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh site whose var/ directory is a temp dir (SQLite)."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    return serving.make_site_env(var_dir)


@pytest.fixture(scope="session")
def postgres_server_url(request: pytest.FixtureRequest) -> str:
    """The URL of a PostgreSQL server to create test databases on.

    DATABASE_URL when it names PostgreSQL (as under `python -m tests.pgserver run`),
    otherwise one throwaway cluster per test process, shared by every module that binds
    this fixture. Skips with the reason when PostgreSQL is not installed; fails with
    the server log when it is installed but does not start.
    """
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        return given
    stash = request.config.stash
    if _CLUSTER_KEY not in stash:
        try:
            cluster = pgserver.PostgresCluster.start()
        except pgserver.PostgresUnavailable as error:
            stash[_CLUSTER_KEY] = error
        else:
            stash[_CLUSTER_KEY] = cluster
            request.config.add_cleanup(cluster.stop)
    found = stash[_CLUSTER_KEY]
    if isinstance(found, pgserver.PostgresNotInstalled):
        pytest.skip(f"PostgreSQL not installed ({found})")
    if isinstance(found, pgserver.PostgresUnavailable):
        pytest.fail(f"PostgreSQL is installed but did not start: {found}")
    return found.url


def new_database(request: pytest.FixtureRequest, vendor: str) -> Database:
    """Return a fresh, empty database of `vendor`, dropped when `request` ends."""
    if vendor == "sqlite":
        return Database("sqlite")
    server_url = request.getfixturevalue("postgres_server_url")
    name = f"broadsheet_{uuid.uuid4().hex[:16]}"
    url = pgserver.create_database(server_url, name)
    request.addfinalizer(lambda: pgserver.drop_database(server_url, name))
    return Database("postgres", url)


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest) -> Database:
    """A fresh database per test: the default SQLite file, then a new PostgreSQL one."""
    return new_database(request, request.param)


@pytest.fixture
def served_site(site_env: dict[str, str], database: Database) -> Iterator[serving.Site]:
    """The demo site served by `broadsheet serve --workers 2`, on each database."""
    with serving.served_site({**site_env, **database.env}) as site:
        yield site
        # Shown by pytest only when the test failed: the server's side of the story.
        print(f"--- broadsheet serve log ---\n{site.server_log()}")
