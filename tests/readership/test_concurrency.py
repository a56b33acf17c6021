"""View counting under real concurrency: two server processes, many readers at once."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.redisserver import running_redis
from tests.system import fixtures, serving
from tests.system.serving import BOT_UA, BROWSER_UA, FLAGSHIP_SLUG, Site

pytestmark = pytest.mark.system

# Fixtures from tests/system, which conftest scoping does not reach from here.
site_env = fixtures.site_env
postgres_server_url = fixtures.postgres_server_url

READER_GETS = 300
HEADS = 40
ROBOT_GETS = 40
THREADS = 16
ARTICLE = f"/articles/{FLAGSHIP_SLUG}/"
POSTGRES = pytest.mark.postgres
# Views go straight into the database, or through the Redis buffer and its flushers
# (one per worker process). Starting a site is the slow part, so the buffer runs on
# PostgreSQL only, where two flushers' transactions can truly interleave.
COUNTING = [
    pytest.param(("sqlite", "direct"), id="sqlite"),
    pytest.param(("postgres", "direct"), id="postgres", marks=POSTGRES),
    pytest.param(("postgres", "redis"), id="postgres-redis-buffer", marks=POSTGRES),
]


@pytest.fixture(params=COUNTING)
def site(request: pytest.FixtureRequest, site_env: dict[str, str]) -> Iterator[Site]:
    """The demo site, served by two workers, counting views the given way."""
    vendor, counting = request.param
    env = {**site_env, **fixtures.new_database(request, vendor).env}
    with contextlib.ExitStack() as stack:
        if counting == "redis":
            try:
                env["REDIS_URL"] = stack.enter_context(running_redis())
            except FileNotFoundError as missing:
                pytest.skip(f"Redis not available: {missing}")
        # Entered last, left first: workers flush their buffers before Redis stops.
        # Two threads per worker: views also race inside each process.
        served = stack.enter_context(serving.served_site(env, threads=2))
        granian_args = Path(f"/proc/{served.process.pid}/cmdline").read_bytes()
        assert b"--blocking-threads\x002\x00" in granian_args
        yield served
        print(f"--- broadsheet serve log ---\n{served.server_log()}")


def send(site: Site, kind: str) -> int:
    method, user_agent = {
        "reader": ("GET", BROWSER_UA),
        "head": ("HEAD", BROWSER_UA),
        "robot": ("GET", BOT_UA),
    }[kind]
    return site.fetch(ARTICLE, method=method, user_agent=user_agent).status


def stored_views(site: Site) -> int:
    """Views recorded in the database itself (without any still buffered in Redis)."""
    return int(
        site.shell(
            "from django.db.models import Sum\n"
            "from broadsheet.readership.models import DailyViews\n"
            f"rows = DailyViews.objects.filter(article__slug={FLAGSHIP_SLUG!r})\n"
            "print(rows.aggregate(total=Sum('count'))['total'] or 0)"
        ).split()[-1]
    )


def flushed_batches(site: Site) -> int:
    return int(
        site.shell(
            "from broadsheet.readership.models import FlushedBatch\n"
            "print(FlushedBatch.objects.count())"
        ).split()[-1]
    )


def test_concurrent_reader_views_are_each_counted_exactly_once(site):
    """300 reader GETs from 16 threads over 2 worker processes add exactly 300 views;
    HEAD requests and robots' GETs in the same burst add none."""
    requests = ["reader"] * READER_GETS + ["head"] * HEADS + ["robot"] * ROBOT_GETS
    random.Random(20).shuffle(requests)
    before = stored_views(site)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(lambda kind: send(site, kind), requests))
    # Moves the shared Redis buffer now; live servers' spool files wait for their timer.
    flushed = serving.broadsheet(site.env, "flush-views")

    assert statuses == [200] * len(requests)
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr
    # Each server flushes its own spool file every BROADSHEET_VIEW_FLUSH_SECONDS
    # (2 s); the shown count is the database's, so it may lag that long.
    deadline = time.monotonic() + 30
    while stored_views(site) - before < READER_GETS and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(3)  # one more flush period: a batch counted twice would show now
    assert stored_views(site) - before == READER_GETS
    assert site.view_count() - before == READER_GETS
    if "REDIS_URL" in site.env:
        assert flushed_batches(site) >= 1, "the views did not go through the buffer"
