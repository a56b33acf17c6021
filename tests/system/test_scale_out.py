"""Scale-out: two `broadsheet serve` processes sharing PostgreSQL and Redis."""

from __future__ import annotations

import contextlib
import urllib.parse

import pytest
from bs4 import BeautifulSoup

from tests.redisserver import running_redis
from tests.system import serving
from tests.system.fixtures import new_database
from tests.system.serving import log_in, printed_password

pytestmark = [
    pytest.mark.system,
    pytest.mark.postgres,
    pytest.mark.xdist_group("served"),
]


@pytest.fixture
def two_servers(request, tmp_path):
    """Servers A and B: separate var/ dirs, one PostgreSQL database, one Redis."""
    database = new_database(request, "postgres")
    try:
        redis_context = running_redis()
        redis_url = redis_context.__enter__()
    except FileNotFoundError as missing:
        pytest.skip(f"Redis not available: {missing}")
    with contextlib.ExitStack() as stack:
        stack.callback(redis_context.__exit__, None, None, None)
        sites = []
        for name in ("a", "b"):
            env = serving.make_site_env(tmp_path / name, database.url)
            (tmp_path / name).mkdir()
            env["REDIS_URL"] = redis_url
            sites.append(stack.enter_context(serving.served_site(env)))
        yield sites


def is_cached_hit(site: serving.Site, path: str) -> bool:
    return site.fetch(path).headers.get("X-Broadsheet-Cache") == "hit"


def publish_in_newsroom(site: serving.Site, title: str, password: str) -> None:
    """Write and publish an article on the newsroom's pages, as a browser would."""
    _response, jar = log_in(site, "admin", password)
    opener = serving.cookie_opener(jar)

    def post(path: str, fields: dict) -> serving.Response:
        form = site.fetch(path, opener=opener)
        token = BeautifulSoup(form.text, "html.parser").select_one(
            "input[name=csrfmiddlewaretoken]"
        )["value"]
        return site.fetch(
            path,
            method="POST",
            data=urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, **fields}, doseq=True
            ).encode(),
            opener=opener,
        )

    author = site.shell(
        "from broadsheet.content.models import Author\n"
        "print(Author.objects.order_by('pk').first().pk)"
    ).split()[-1]
    fields = {
        "title": title,
        "slug": "fresh-from-server-a",
        "body": "Published through one server.[^1]\n\n[^1]: Seen by the other.\n",
        "authors": [author],
    }
    created = post("/newsroom/articles/new/", fields)
    assert created.status == 200 and "Draft saved." in created.text
    edit_path = urllib.parse.urlsplit(created.url).path
    version = BeautifulSoup(created.text, "html.parser").select_one(
        "input[name=version]"
    )["value"]
    published = post(edit_path, {**fields, "version": version, "step": "publish"})
    assert published.status == 200 and "Publish: done" in published.text


def test_a_publish_through_one_server_is_visible_through_the_other_at_once(
    two_servers,
):
    a, b = two_servers
    for site in (a, b):
        site.fetch("/")
    assert is_cached_hit(b, "/")  # B serves the home page from the shared cache
    # B started last, so its `broadsheet demo` printed the admin's current password.
    publish_in_newsroom(a, "Fresh From Server A", printed_password(b.demo_output))
    home = b.fetch("/")
    assert "Fresh From Server A" in home.text
    article = b.fetch("/articles/fresh-from-server-a/")
    assert article.status == 200 and "Seen by the other." in article.text


def test_views_counted_on_both_servers_add_up_exactly(two_servers):
    a, b = two_servers
    path = f"/articles/{serving.FLAGSHIP_SLUG}/"
    before = a.view_count()
    for _ in range(20):
        a.fetch(path, user_agent=serving.BROWSER_UA)
        b.fetch(path, user_agent=serving.BROWSER_UA)
    flushed = serving.broadsheet(a.env, "flush-views")
    assert flushed.returncode == 0, flushed.stderr
    assert a.view_count() == b.view_count() == before + 40
