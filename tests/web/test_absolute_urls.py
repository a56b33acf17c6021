"""Every absolute URL the site writes names its configured address
(BROADSHEET_SITE_URL), whatever Host the request came in on."""

import io
import re
import sys

import pytest

from broadsheet.content.models import SiteSettings
from broadsheet.publishing.surfaces import ARTICLES_PER_BLOCK
from broadsheet.wsgi import application
from tests.factories import make_article, make_page

pytestmark = pytest.mark.django_db(transaction=True)
SITE = "https://magazine.example.org"
FOREIGN_HOST = "mirror.example.net"
ABSOLUTE_URL = re.compile(rb"""https?://[^\s"'<>{}]+""")
LOC = re.compile(rb"<loc>([^<]+)</loc>")


@pytest.fixture(autouse=True)
def _site_on_its_own_address(settings):
    settings.BROADSHEET_SITE_URL = SITE
    # A name the server answers to but that is not the public address.
    settings.ALLOWED_HOSTS = [FOREIGN_HOST]
    SiteSettings.load()


def get(path: str) -> bytes:
    """GET `path` through the production WSGI application, on the foreign Host."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": FOREIGN_HOST,
        "SERVER_NAME": FOREIGN_HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": "bot",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    chunks = application(environ, lambda status, *_: statuses.append(status))
    body = b"".join(chunks)
    assert statuses == ["200 OK"], (path, statuses)
    return body


def site_urls_in(body: bytes) -> list[bytes]:
    """The absolute URLs in `body` that point into the site itself (any address)."""
    return [
        url
        for url in ABSOLUTE_URL.findall(body)
        if FOREIGN_HOST.encode() in url or b"magazine" in url
    ]


@pytest.fixture
def article():
    make_page(slug="about", title="About")
    return make_article(slug="inked", title="Inked")


@pytest.mark.parametrize(
    "path",
    [
        "/feed/",
        "/feed/atom/",
        "/articles/inked/cite.bib",
        "/articles/inked/cite.ris",
        "/articles/inked/cite.json",
        "/articles/inked/",
    ],
)
def test_pages_name_the_configured_address_not_the_request_host(article, path):
    body = get(path)
    urls = site_urls_in(body)
    assert f"{SITE}/articles/inked/".encode() in urls, urls
    assert all(url.startswith(SITE.encode()) for url in urls), urls


def test_the_sitemap_index_and_sections_name_the_configured_address(article):
    sections = LOC.findall(get("/sitemap.xml"))
    assert [url.rsplit(b"/", 1)[1] for url in sections] == [
        b"pages.xml",
        b"lists.xml",
        f"articles-{article.pk // ARTICLES_PER_BLOCK}.xml".encode(),
    ]
    assert all(url.startswith(f"{SITE}/sitemaps/".encode()) for url in sections)
    pages = [url for s in sections for url in LOC.findall(get(s[len(SITE) :].decode()))]
    assert all(url.startswith(f"{SITE}/".encode()) for url in pages), pages
    for path in ("about", "articles/inked", "archive"):
        assert f"{SITE}/{path}/".encode() in pages
