"""View counting under real concurrency: two server processes, many readers at once."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.system import fixtures
from tests.system.serving import BOT_UA, BROWSER_UA, Site

pytestmark = [pytest.mark.system, pytest.mark.xdist_group("served")]

# Fixtures from tests/system, which conftest scoping does not reach from here.
site_env = fixtures.site_env
postgres_server_url = fixtures.postgres_server_url
database = fixtures.database
served_site = fixtures.served_site

READER_GETS = 300
HEADS = 40
ROBOT_GETS = 40
THREADS = 16
ARTICLE = "/articles/the-long-life-of-movable-type/"


def send(site: Site, kind: str) -> int:
    method, user_agent = {
        "reader": ("GET", BROWSER_UA),
        "head": ("HEAD", BROWSER_UA),
        "robot": ("GET", BOT_UA),
    }[kind]
    return site.fetch(ARTICLE, method=method, user_agent=user_agent).status


def test_concurrent_reader_views_are_each_counted_exactly_once(served_site):
    """300 reader GETs from 16 threads over 2 worker processes add exactly 300 views;
    HEAD requests and robots' GETs in the same burst add none."""
    requests = ["reader"] * READER_GETS + ["head"] * HEADS + ["robot"] * ROBOT_GETS
    random.Random(20).shuffle(requests)
    before = served_site.view_count()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(lambda kind: send(served_site, kind), requests))

    assert statuses == [200] * len(requests)
    assert served_site.view_count() - before == READER_GETS
