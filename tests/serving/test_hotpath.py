"""The page cache through the production WSGI application: hits, HTTP caching, and
exact invalidation when content changes."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from broadsheet.content.models import SiteSettings
from broadsheet.pagecache import store
from broadsheet.publishing.feeds import FEED_LENGTH
from broadsheet.publishing.services import publish_article, save_article
from broadsheet.readership.counting import view_count
from broadsheet.serving.hotpath import with_page_cache
from broadsheet.wsgi import application, django_application
from tests.factories import make_article, make_author, make_tag
from tests.serving.wsgi import call

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _site_settings_exist():
    """The first page view creates the settings row, which is itself a change."""
    SiteSettings.load()


def request(path: str, method: str = "GET", **headers) -> tuple[int, dict, bytes]:
    """Call the WSGI application as a server would; return status, headers, body."""
    status, header_list, body = call(application, path, method, **headers)
    return status, {k.lower(): v for k, v in header_list}, body


def is_hit(path: str) -> bool:
    return request(path, user_agent="bot")[1].get("x-broadsheet-cache") == "hit"


def warm(*paths: str) -> None:
    for path in paths:
        request(path, user_agent="bot")
        assert is_hit(path), path


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


def test_made_up_query_strings_get_the_cached_page_and_store_nothing(settings):
    article = make_article()
    path = article.get_absolute_url()
    warm("/", path)
    for query in ["r=1", "r=2&utm_source=x", "page=3", "p=9", "=&&%zz"]:
        for url in ("/", path):
            status, headers, _ = request(f"{url}?{query}", user_agent="bot")
            assert (status, headers["x-broadsheet-cache"]) == (200, "hit"), (url, query)
            assert store.lookup(url, query) is None  # no entry of its own


def test_a_page_never_cached_is_stored_once_whatever_query_it_first_came_with():
    make_article()
    request("/?r=first", user_agent="bot")
    assert store.lookup("/", "") is not None and store.lookup("/", "r=first") is None
    assert is_hit("/") and is_hit("/?r=second")


def test_a_sitemap_section_keeps_its_page_parameter_in_the_cache_key():
    make_article()
    section = "/sitemaps/articles-0.xml"
    warm(section)
    assert is_hit(section + "?utm_source=x")
    status, headers, _ = request(section + "?p=2", user_agent="bot")
    assert status == 404 and "x-broadsheet-cache" not in headers  # Django's answer


def test_a_made_up_session_cookie_gets_the_cached_page():
    make_article()
    warm("/")
    _, headers, body = request("/", user_agent="bot", cookie="sessionid=made-up")
    assert headers["x-broadsheet-cache"] == "hit"
    assert body == request("/", user_agent="bot")[2]


def test_a_logged_in_editor_still_reaches_the_back_office_uncached(client):
    editor = get_user_model().objects.create_user(
        "editor", password="a long passphrase", is_staff=True, is_superuser=True
    )
    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"
    draft = make_article(title="Unpublished Draft", status="draft")
    make_article(title="Public Piece")
    warm("/")
    for path in ["/admin/", f"/preview/{draft.pk}/", f"/preview/{draft.pk}/"]:
        status, headers, body = request(path, cookie=session)
        assert status == 200 and "x-broadsheet-cache" not in headers, path
    assert b"Unpublished Draft" in body and "no-store" in headers["cache-control"]
    assert request(f"/preview/{draft.pk}/")[0] == 302  # the login it needs
    # Public pages show editors what they show readers, kept in the cache.
    _, headers, body = request("/", user_agent="bot", cookie=session)
    assert headers["x-broadsheet-cache"] == "hit" and b"Public Piece" in body


def test_publishing_invalidates_home_tag_and_related_lists_and_nothing_else():
    ink, paper = make_tag(name="Ink"), make_tag(name="Paper")
    sibling = make_article(tags=[ink])
    unrelated = make_article(tags=[paper])
    paths = [
        "/",
        ink.get_absolute_url(),
        sibling.get_absolute_url(),
        paper.get_absolute_url(),
        unrelated.get_absolute_url(),
    ]
    warm(*paths)
    new = make_article(title="Fresh Ink", tags=[ink], status="draft")
    assert all(is_hit(p) for p in paths)  # a draft changes nothing readers see
    publish_article(new)
    assert b"Fresh Ink" in request("/")[2]
    assert b"Fresh Ink" in request(ink.get_absolute_url())[2]
    assert b"Fresh Ink" in request(sibling.get_absolute_url())[2]  # related reading
    assert is_hit(paper.get_absolute_url()) and is_hit(unrelated.get_absolute_url())


@pytest.mark.parametrize("from_the_tag", [False, True])
def test_tagging_outside_save_article_invalidates_lists_and_related(from_the_tag):
    """The demo loader and the shell link tags directly (m2m), not via the service."""
    ink, paper = make_tag(name="Ink"), make_tag(name="Paper")
    sibling = make_article(tags=[ink])
    make_article(tags=[paper])  # so the paper tag has a page to keep cached
    loner, draft = make_article(title="Loner Piece"), make_article(status="draft")
    warm(ink.get_absolute_url(), sibling.get_absolute_url(), paper.get_absolute_url())
    draft.tags.add(ink)
    assert is_hit(ink.get_absolute_url()) and is_hit(sibling.get_absolute_url())
    if from_the_tag:
        ink.articles.add(loner)
    else:
        loner.tags.add(ink)
    assert b"Loner Piece" in request(ink.get_absolute_url())[2]
    assert b"Loner Piece" in request(sibling.get_absolute_url())[2]  # related
    assert is_hit(paper.get_absolute_url())


@pytest.mark.parametrize("from_the_tag", [False, True])
def test_clearing_tags_outside_save_article_invalidates_the_article_and_list(
    from_the_tag,
):
    ink = make_tag(name="Ink")
    article = make_article(title="Cleared Piece", tags=[ink])
    warm(ink.get_absolute_url(), article.get_absolute_url())
    if from_the_tag:
        ink.articles.clear()
    else:
        article.tags.clear()
    assert b"Cleared Piece" not in request(ink.get_absolute_url())[2]
    assert not is_hit(article.get_absolute_url())


def test_editing_an_article_invalidates_the_pages_showing_it():
    ink, paper = make_tag(), make_tag()
    article = make_article(tags=[ink])
    unrelated = make_article(tags=[paper])
    warm("/", article.get_absolute_url(), paper.get_absolute_url())
    warm(unrelated.get_absolute_url())
    article.title = "Retitled"
    save_article(article)
    assert b"Retitled" in request(article.get_absolute_url())[2]
    assert b"Retitled" in request("/")[2]
    assert is_hit(paper.get_absolute_url()) and is_hit(unrelated.get_absolute_url())


def test_withdrawing_an_article_removes_it_from_cached_pages():
    article = make_article(title="Going Away")
    warm("/", article.get_absolute_url())
    article.status = "draft"
    save_article(article)
    assert request(article.get_absolute_url())[0] == 404
    assert b"Going Away" not in request("/")[2]


def test_renaming_an_author_invalidates_bylines_but_not_other_pages():
    author = make_author(name="Ada Quill")
    mine = make_article(authors=[author])
    other = make_article(published_at=timezone.now() - timezone.timedelta(days=900))
    warm(mine.get_absolute_url(), other.get_absolute_url(), "/")
    author.name = "Ada Quill-Moreau"
    author.save()
    assert b"Ada Quill-Moreau" in request(mine.get_absolute_url())[2]
    assert b"Ada Quill-Moreau" in request("/")[2]
    assert is_hit(other.get_absolute_url())


def test_changing_site_settings_invalidates_every_page():
    article = make_article()
    warm("/", article.get_absolute_url())
    settings_row = SiteSettings.load()
    settings_row.site_name = "The New Name"
    settings_row.save()
    assert b"The New Name" in request("/")[2]
    assert b"The New Name" in request(article.get_absolute_url())[2]


def test_page_cache_can_be_switched_off(settings):
    settings.BROADSHEET_PAGE_CACHE = False
    make_article()
    request("/")
    assert not is_hit("/")


def test_a_server_with_the_cache_off_ignores_pages_others_cached(settings):
    article = make_article()
    path = article.get_absolute_url()
    request(path)
    assert is_hit(path)  # stored in the cache every process shares
    settings.BROADSHEET_PAGE_CACHE = False
    _, headers, body = call(with_page_cache(django_application), path)
    assert dict(headers)["X-Broadsheet-Cache"] == "miss"  # rendered again
    assert article.title.encode() in body


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


def test_feeds_are_cached_until_an_article_they_list_changes():
    listed = make_article(title="In The Feed")
    warm("/feed/", "/feed/atom/")
    listed.title = "Retitled In The Feed"
    save_article(listed)
    assert not is_hit("/feed/") and not is_hit("/feed/atom/")
    assert b"Retitled In The Feed" in request("/feed/atom/")[2]
    warm("/feed/")
    publish_article(make_article(status="draft", title="Brand New"))
    assert b"Brand New" in request("/feed/")[2]


def test_editing_an_article_the_feeds_do_not_list_keeps_them_cached():
    oldest = make_article(published_at=timezone.now() - timezone.timedelta(days=400))
    for _ in range(FEED_LENGTH):  # newer whatever the factory's running count
        make_article(published_at=timezone.now() - timezone.timedelta(days=1))
    warm("/feed/", "/feed/atom/")
    oldest.title = "Quietly Retitled"
    save_article(oldest)
    assert is_hit("/feed/") and is_hit("/feed/atom/")
    assert b"Quietly Retitled" not in request("/feed/")[2]


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
    env = {
        "PATH": os.environ["PATH"],
        "BROADSHEET_ENV": "production",
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "ALLOWED_HOSTS": "magazine.example.org,www.magazine.example.org",
        "BROADSHEET_SITE_URL": "https://magazine.example.org",
        "BROADSHEET_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
    }
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
