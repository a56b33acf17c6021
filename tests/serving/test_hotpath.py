"""The hot path through the production WSGI application: hits, HTTP caching, hosts,
HTTPS; before Django's request cycle."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler

from broadsheet.readership.counting import view_count
from broadsheet.serving.hotpath import with_page_cache
from broadsheet.wsgi import application
from tests.factories import make_article
from tests.production import production_environ
from tests.serving.wsgi import (
    call,
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_second_request_is_answered_from_the_cache_with_the_same_bytes():
    article = make_article()
    status, headers, first = request("/", user_agent="bot")
    assert status == 200 and headers["x-broadsheet-cache"] == "miss"
    status, headers, second = request("/", user_agent="bot")
    assert headers["x-broadsheet-cache"] == "hit" and second == first
    assert article.title.encode() in second


def test_cached_pages_revalidate_with_strong_etags_and_304():
    make_article()
    warm("/")
    _, headers, _ = request("/")
    assert headers["etag"].startswith('"') and headers["cache-control"] == "no-cache"
    status, headers304, body = request("/", if_none_match=headers["etag"])
    assert status == 304 and body == b"" and headers304["etag"] == headers["etag"]
    assert request("/", if_none_match='"other"')[0] == 200


def test_cached_pages_are_served_gzip_and_brotli_with_vary():
    make_article()
    warm("/")
    _, plain_headers, plain = request("/")
    _, gz_headers, gz = request("/", accept_encoding="gzip")
    _, br_headers, br = request("/", accept_encoding="gzip, br")
    assert gz_headers["content-encoding"] == "gzip" and gzip.decompress(gz) == plain
    assert br_headers["content-encoding"] == "br" and brotli.decompress(br) == plain
    assert "Accept-Encoding" in plain_headers["vary"]
    assert len({plain_headers["etag"], gz_headers["etag"], br_headers["etag"]}) == 3


@pytest.mark.parametrize(
    ("accept_encoding", "sent"),
    [
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
        ("identity", None),
        ("BR", "br"),
    ],
)
def test_content_coding_follows_the_q_values_of_accept_encoding(accept_encoding, sent):
    make_article()
    warm("/")
    _, headers, _ = request("/", accept_encoding=accept_encoding)
    assert headers.get("content-encoding") == sent


def test_a_cached_page_answers_304_to_its_tag_weak_or_star():
    make_article()
    warm("/")
    etag = request("/")[1]["etag"]
    for if_none_match in [etag, f"W/{etag}", f'"other", {etag}', "*"]:
        assert request("/", if_none_match=if_none_match)[0] == 304, if_none_match
    assert request("/", if_none_match='"other"')[0] == 200


def test_cache_hits_count_views_but_head_and_bots_do_not():
    article = make_article()
    url = article.get_absolute_url()
    warm(url)
    for _ in range(3):
        assert request(url)[1]["x-broadsheet-cache"] == "hit"
    request(url, method="HEAD")
    request(url, user_agent="Googlebot/2.1")
    assert view_count(article) == 3


def test_a_hit_carries_the_headers_of_the_response_it_stored_once_each():
    article = make_article()
    path = article.get_absolute_url()

    def headers_of(**extra) -> list[tuple[str, str]]:
        _, headers, _ = call(application, path, user_agent="bot", **extra)
        return [(k.lower(), v) for k, v in headers if k != "X-Broadsheet-Cache"]

    miss = headers_of()
    hit = headers_of()
    assert is_hit(path)
    assert sorted(hit) == sorted(miss)  # security headers included, nothing twice
    brotli_hit = dict(headers_of(accept_encoding="br"))
    assert [k for k, _ in headers_of(accept_encoding="br")].count("etag") == 1
    assert brotli_hit["etag"] != dict(hit)["etag"]
    assert brotli_hit["x-content-type-options"] == "nosniff"


def test_a_cached_page_is_refused_to_a_host_outside_allowed_hosts(settings):
    settings.ALLOWED_HOSTS = ["magazine.example.org"]
    make_article()
    request("/", user_agent="bot", host="magazine.example.org")
    assert (
        request("/", user_agent="bot", host="magazine.example.org")[1].get(
            "x-broadsheet-cache"
        )
        == "hit"
    )
    for host in ["elsewhere.example", "magazine.example.org.evil", "evil/x"]:
        status, headers, _ = request("/", user_agent="bot", host=host)
        assert status == 400 and "x-broadsheet-cache" not in headers, host


@pytest.mark.parametrize(
    ("allowed", "host", "answered"),
    [
        ([".example.org"], "example.org", True),
        ([".example.org"], "news.Example.org:8080", True),
        ([".example.org"], "badexample.org", False),
        (["example.org"], "example.org:443", True),
        (["example.org"], "news.example.org", False),
        (["*"], "anything.test", True),
        (["[::1]"], "[::1]:8000", True),
    ],
)
def test_cached_pages_check_the_host_as_django_does(settings, allowed, host, answered):
    make_article()
    warm("/")  # stored through an allowed host (the server's own name)
    settings.ALLOWED_HOSTS = allowed
    status, headers, _ = request("/", user_agent="bot", host=host)
    assert (status, headers.get("x-broadsheet-cache")) == (
        (200, "hit") if answered else (400, None)
    )


PROXIED_HTTPS = {"x_forwarded_proto": "https"}
HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def behind_a_tls_proxy(settings):
    """What BROADSHEET_ENV=production sets (checked against it below)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


def started_app():
    """The WSGI application as broadsheet.wsgi builds it, with today's settings:
    Django's middleware reads its settings once, when the server starts."""
    return with_page_cache(WSGIHandler())


def fetch(app, path: str, method: str = "GET", **headers) -> tuple[int, dict, bytes]:
    status, header_list, body = call(app, path, method, user_agent="bot", **headers)
    return status, {k.lower(): v for k, v in header_list}, body


def test_plain_http_is_redirected_to_https_before_the_cache(behind_a_tls_proxy):
    app = started_app()
    article = make_article()
    paths = ["/", article.get_absolute_url(), "/feed/", "/?utm_source=x"]
    for path in paths[:3]:
        fetch(app, path, **PROXIED_HTTPS)
        assert fetch(app, path, **PROXIED_HTTPS)[1]["x-broadsheet-cache"] == "hit"
    for path in paths:
        for method in ("GET", "HEAD"):
            status, headers, _ = fetch(app, path, method)
            assert status == 301 and "x-broadsheet-cache" not in headers, path
            assert headers["location"] == f"https://127.0.0.1{path}"
    _, headers, _ = fetch(app, "/", x_forwarded_proto="http")
    assert headers["location"] == "https://127.0.0.1/"


def test_the_redirect_goes_to_the_ssl_host_and_spares_exempt_paths(behind_a_tls_proxy):
    behind_a_tls_proxy.SECURE_SSL_HOST = "magazine.example.org"
    behind_a_tls_proxy.SECURE_REDIRECT_EXEMPT = [r"^feed/"]
    app = started_app()
    make_article()
    _, headers, _ = fetch(app, "/?a=1")
    assert headers["location"] == "https://magazine.example.org/?a=1"
    status, headers, body = fetch(app, "/feed/")
    assert status == 200 and b"<rss" in body
    assert "strict-transport-security" not in headers


def test_https_answers_carry_hsts_and_plain_http_ones_do_not(behind_a_tls_proxy):
    app = started_app()
    article = make_article()
    for path in ["/", article.get_absolute_url(), "/feed/"]:
        for _ in range(2):  # a miss, then a hit
            _, headers, _ = fetch(app, path, **PROXIED_HTTPS)
            assert headers["strict-transport-security"] == HSTS, path
        assert headers["x-broadsheet-cache"] == "hit"
    behind_a_tls_proxy.SECURE_SSL_REDIRECT = False  # a proxy redirects instead
    status, headers, _ = fetch(started_app(), "/")
    assert status == 200 and headers["x-broadsheet-cache"] == "hit"
    assert "strict-transport-security" not in headers


PRODUCTION_SCRIPT = """
import io, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import make_article
make_article(slug="some-piece")
from broadsheet.wsgi import application

def get(path, host, **headers):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "HTTP_HOST": host, "SERVER_NAME": host, "SERVER_PORT": "80",
        "HTTP_USER_AGENT": "bot", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, **headers}
    seen = []
    application(environ, lambda status, headers, *_: seen.append((status, headers)))
    return seen[0][0], dict(seen[0][1])

answers = {}
for path in ["/feed/", "/articles/some-piece/cite.bib"]:
    for _ in range(2):
        https = get(path, "magazine.example.org", HTTP_X_FORWARDED_PROTO="https")
    answers[path] = {
        "https": https,
        "http": get(path, "magazine.example.org"),
        "other name": get(path, "www.magazine.example.org"),
    }
print(json.dumps(answers))
"""


def test_production_settings_redirect_cached_pages_to_https_on_the_site_address(
    tmp_path,
):
    """BROADSHEET_ENV=production as the README documents it, in its own process."""
    env = production_environ(
        tmp_path, hosts="magazine.example.org,www.magazine.example.org"
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=Path(__file__).resolve().parents[2],  # for tests.factories
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for path, answers in json.loads(result.stdout.splitlines()[-1]).items():
        status, headers = answers["https"]
        assert status == "200 OK" and headers["X-Broadsheet-Cache"] == "hit", path
        assert headers["Strict-Transport-Security"] == HSTS
        for plain in ("http", "other name"):
            status, headers = answers[plain]
            assert status.startswith("301") and "X-Broadsheet-Cache" not in headers
            assert headers["Location"] == f"https://magazine.example.org{path}"
