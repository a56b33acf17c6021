"""Serve cached pages before Django's request cycle: the reader's hot path.

A bare WSGI callable answers about 7x faster than a Django view with middleware on
these machines (see docs/decisions/0003-server.md), so cache hits never enter Django.
Anything not in the cache goes to Django, and so does a Host outside ALLOWED_HOSTS,
which Django refuses (400), and plain HTTP when SECURE_SSL_REDIRECT is on, which
Django's SecurityMiddleware redirects to HTTPS (its SECURE_SSL_HOST and
SECURE_REDIRECT_EXEMPT included); HTTPS answers carry its HSTS header. Query
parameters a page does not read, and session cookies (public pages read no
session), get the cached page: neither can make the server render
(docs/decisions/0009-cache-keys-ignore-what-pages-do-not-read.md).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.utils.http import parse_etags

from broadsheet.pagecache import store
from broadsheet.readership import counting
from broadsheet.serving import direct, moved, policy

StartResponse = Callable[..., object]
_STATUS_LINES = {200: "200 OK", 301: "301 Moved Permanently"}  # pagecache's statuses
NOT_MODIFIED_HEADERS = {"cache-control", "vary", "last-modified", "content-location"}


def with_page_cache(django_app: Callable) -> Callable:
    """The production WSGI application: cached pages, then public pages rendered
    by their view alone (serving.direct), then Django for everything else.

    With the page cache off nothing is looked up, so that pages another process
    (or an earlier run) stored in the shared cache are not served either.
    """
    return PublicPages(django_app, cached=store.is_enabled())


class PublicPages:
    """WSGI middleware answering public GET/HEAD from the cache or the view."""

    def __init__(self, django_app: Callable, *, cached: bool) -> None:
        self.django_app = django_app
        self.cached = cached

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD") or (
            environ.get("HTTP_HOST") not in _allowed_hosts
            and not _is_allowed_host(environ)
        ):
            return self.django_app(environ, start_response)
        proxy = _proxy_ssl_header
        if proxy is None:
            secure = environ.get("wsgi.url_scheme") == "https"
        else:  # the proxy's usual exact value first: one comparison per hit
            secure = environ.get(proxy[0]) == proxy[1] or _is_secure_behind_proxy(
                environ, proxy
            )
        if _ssl_redirect and not secure:
            return self.django_app(environ, start_response)  # its 301
        head = method == "HEAD"
        if self.cached:
            path = environ.get("PATH_INFO", "/")
            query = environ.get("QUERY_STRING", "")
            if path == "/" and query and (old := moved.cache_query(query)):
                page = store.lookup(path, old)  # its 301, once answered
            else:
                page = store.find(path, query)
            if page is not None:
                if page.article_id and not head:
                    counting.record_reader_view(
                        page.article_id, environ.get("HTTP_USER_AGENT", "")
                    )
                return _respond(page, environ, start_response, head, secure)
        page = direct.render(environ)  # the view counted the view, if any
        if page is None:
            return self.django_app(environ, start_response)
        return _respond(page, environ, start_response, head, secure, hit=False)


# Host headers already found allowed: a hit costs one set lookup, not Django's check.
_allowed_hosts: set[str] = set()
_ALLOWED_HOSTS_MAX = 1000  # with "*" or ".domain" patterns a client picks the names


def _is_allowed_host(environ: dict) -> bool:
    """Check the request's host as Django does (ALLOWED_HOSTS, "*", ".domain",
    ports, DEBUG's defaults); remember an allowed Host header."""
    try:
        WSGIRequest(environ).get_host()
    except DisallowedHost:
        return False
    host = environ.get("HTTP_HOST")
    # With X-Forwarded-Host trusted, that header is what is checked: nothing kept.
    if host is not None and not settings.USE_X_FORWARDED_HOST:
        if len(_allowed_hosts) >= _ALLOWED_HOSTS_MAX:
            _allowed_hosts.clear()
        _allowed_hosts.add(host)
    return True


@receiver(setting_changed)
def _forget_allowed_hosts(*, setting: str, **kwargs: object) -> None:
    if setting in ("ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST"):
        _allowed_hosts.clear()


def _respond(
    page: store.CachedPage,
    environ: dict,
    start_response: StartResponse,
    head: bool,
    secure: bool,
    *,
    hit: bool = True,
) -> list[bytes]:
    if page.status != 200:
        # A cached 301: no body to encode or revalidate, and not among the
        # prepared responses, which are keyed by ETag (every empty body's is one).
        marker = "hit" if hit else "miss"
        headers = _build_response(page, "", secure, marker=marker)[0]
        start_response(_STATUS_LINES[page.status], headers)
        return []
    encoding = _choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
    if hit:
        headers, body, etag = _prepared(page, encoding, secure)
    else:  # used once: not worth keeping (and its body, maybe not compressed yet)
        headers, body, etag = _build_response(page, encoding, secure, marker="miss")
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match and (etag in (tags := _etags(if_none_match)) or "*" in tags):
        kept = [(k, v) for k, v in headers if k.lower() in NOT_MODIFIED_HEADERS]
        start_response("304 Not Modified", [*kept, ("ETag", etag)])
        return []
    start_response("200 OK", headers)
    return [] if head else [body]


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct headers
def _choose_encoding(accept: str) -> str:
    """The stored body to send for an Accept-Encoding header (RFC 9110 12.5.3):
    the higher-valued of brotli and gzip, brotli on a tie, none refused by q=0.

    Written here: Django's GZipMiddleware matches "gzip" anywhere in the header and
    ignores q-values, and no dependency of the project parses this header.
    """
    qualities: dict[str, float] = {}
    for part in accept.lower().split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[coding] = quality
    anything = qualities.get("*", 0.0)
    best = max(("br", "gzip"), key=lambda coding: qualities.get(coding, anything))
    return best if qualities.get(best, anything) > 0 else ""


# Headers per (page, encoding), built once per worker: rebuilding them on every hit
# was a measurable share of a hit's cost. Keyed by the page's strong ETag, which
# changes with its bytes.
_prepared_responses: dict[tuple[str, str, bool], tuple[list, bytes, str]] = {}
# Stored headers are the view's and the middleware's inside the page cache; these
# are replaced per encoding, or added by middleware outside it.
_REPLACED = {"content-length", "etag"}


def _prepared(
    page: store.CachedPage, encoding: str, secure: bool
) -> tuple[list, bytes, str]:
    key = (page.etag, encoding, secure)
    prepared = _prepared_responses.get(key)
    if prepared is None:
        if len(_prepared_responses) >= 3 * store.LOCAL_PAGES_MAX:
            _prepared_responses.clear()
        prepared = _prepared_responses[key] = _build_response(page, encoding, secure)
    return prepared


def _build_response(
    page: store.CachedPage, encoding: str, secure: bool, *, marker: str = "hit"
) -> tuple[list, bytes, str]:
    body, etag = {
        "br": (page.brotli_body, page.etag[:-1] + '-br"'),
        "gzip": (page.gzip_body, page.etag[:-1] + '-gz"'),
        "": (page.body, page.etag),
    }[encoding]
    if not body and page.body:  # a page rendered now and not stored
        body = store.compress(page.body, encoding)
    headers = [(k, v) for k, v in page.headers if k.lower() not in _REPLACED]
    headers += [
        *_security_headers(secure),
        ("ETag", etag),
        ("X-Broadsheet-Cache", marker),
    ]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    headers.append(("Content-Length", str(len(body))))
    return headers, body, etag


def _is_secure_behind_proxy(environ: dict, proxy: tuple[str, str]) -> bool:
    """HttpRequest.is_secure(): the proxy's header when it sent one (its first
    value), else the server's own scheme."""
    sent = environ.get(proxy[0])
    if sent is not None:
        return sent.split(",", 1)[0].strip() == proxy[1]
    return environ.get("wsgi.url_scheme") == "https"


def _read_security_settings() -> None:
    # Module state, read at import and when a test changes them: a read of
    # django.conf.settings was a tenth of a hit's Python, a cached call a few %.
    global _proxy_ssl_header, _ssl_redirect
    _proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
    _ssl_redirect = settings.SECURE_SSL_REDIRECT


_proxy_ssl_header: tuple[str, str] | None = None
_ssl_redirect = False
_read_security_settings()


@receiver(setting_changed)
def _forget_security_settings(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("SECURE_"):
        _read_security_settings()
        _security_headers.cache_clear()
        _prepared_responses.clear()  # they hold the security headers


@functools.cache
def _security_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """What Django's SecurityMiddleware adds to a response (nosniff, referrer and
    opener policies, HSTS on HTTPS), computed by the middleware itself, once; and
    serving.policy's Content-Security-Policy and Permissions-Policy.

    It sits outside the page cache, so stored pages lack these headers.
    """
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443" if secure else "80",
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(),
    }
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy and secure:
        environ[proxy[0]] = proxy[1]
    response = HttpResponse()
    present = set(response.headers)
    SecurityMiddleware(lambda request: response).process_response(
        WSGIRequest(environ), response
    )
    added = tuple((k, v) for k, v in response.items() if k not in present)
    return added + policy.policy_headers()


def _etags(header: str) -> set[str]:
    """The entity tags an If-None-Match names, compared weakly as RFC 9110 says
    (Django's parser; "*" matches whatever the page's tag is)."""
    return {tag.removeprefix("W/") for tag in parse_etags(header)}
