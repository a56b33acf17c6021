"""Render an anonymous public page by calling its view, outside Django's middleware.

An uncached article page cost ~1.05 ms through Django's handler and ~0.65 ms in its
view (this machine, demo flagship): the handler and its eight middleware were a
third of the page. Public pages need none of them but the few whose headers the
page cache stores, so the hot path (serving.hotpath) asks this module first and sends
the result exactly as it sends a cache hit, which adds the rest (security headers,
ETag and 304, gzip/brotli, Content-Length).

Only the URL names in DIRECT_PAGES are rendered here, and only a 200 marked with
cache_surfaces() is kept; anything else (an unknown URL, a 404, an error, a response
the page cache would not keep) returns None and Django answers the request in full,
with its error pages and logging. Their one side effect, the article's view count,
comes after the 404 check; an article page that fails later is counted again when
Django retries it (and fails there too).
"""

from __future__ import annotations

import functools
import io
import logging
import sys
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver, set_script_prefix
from django.utils.module_loading import import_string

from broadsheet.content.models import Article
from broadsheet.pagecache import store
from broadsheet.pagecache.middleware import PageCacheMiddleware, finish_cacheable
from broadsheet.serving import back_office
from broadsheet.web import views as web_views

# Views of pages readers and crawlers fetch by the thousand (web/urls.py names).
DIRECT_PAGES = frozenset(
    {
        "home",
        "home-page",
        "article",
        "author",
        "author-page",
        "category",
        "category-page",
        "tag",
        "tag-page",
        "archive-month",
        "archive-month-page",
        "article-cite-export",
        "article-works-export",
        "feed-rss",
        "feed-atom",
        "page",
    }
)
PAGE_CACHE_MIDDLEWARE = f"{PageCacheMiddleware.__module__}.PageCacheMiddleware"
logger = logging.getLogger(__name__)


def render(environ: dict) -> store.CachedPage | None:
    """The page for this anonymous GET or HEAD, rendered now; None: ask Django."""
    request = WSGIRequest(environ)
    started_ns = time.time_ns()
    response = render_response(request)
    if response is None:
        return None
    stored = finish_cacheable(request, response, started_ns)
    return stored or _unstored(response)


def warm_up() -> list[str]:
    """Render the home page and the newest article once, kept and counted nowhere;
    return the paths that rendered.

    A worker's first page loads templates, compiles layouts and opens the database:
    about 90 ms against 2 for the next, paid by whichever readers wait behind it,
    and under load that was the worst latency of a whole benchmark run. Nothing
    here may stop a worker from starting: a failure is logged and left to the
    first reader, as before.
    """
    rendered = []
    try:
        newest = Article.objects.live().order_by("-published_at").first()
        paths = ["/"] + ([newest.get_absolute_url()] if newest else [])
        for path in paths:
            environ = anonymous_environ(settings.BROADSHEET_SITE_URL, path)
            response = render_response(WSGIRequest(environ))
            if response is not None and response.status_code == 200:
                rendered.append(path)
    except Exception:  # noqa: BLE001  (a worker must start anyway)
        logger.exception("Warming up this worker failed; its first reader will wait.")
    return rendered


def anonymous_environ(site_url: str, path: str = "/") -> dict[str, object]:
    """The environ of an anonymous GET on the site's own host: no cookies and no
    User-Agent (a robot's, so no view is counted)."""
    site = urlsplit(site_url)
    secure = site.scheme == "https"
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "HTTP_HOST": site.netloc,
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multiprocess": True,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
    }


def render_response(request: HttpRequest) -> HttpResponse | None:
    """The view's response with the headers stored pages have, or None: ask Django.

    Marked by the view with the surfaces it shows (the static export reads them).
    """
    set_script_prefix(get_script_name(request.environ))
    signals.request_started.send(sender=__name__, environ=request.environ)
    try:
        return _render(request)
    finally:
        signals.request_finished.send(sender=__name__)


def _render(request: HttpRequest) -> HttpResponse | None:
    try:
        request.get_host()  # ALLOWED_HOSTS, as Django checks it
        match = get_resolver().resolve(request.path_info)
    except DisallowedHost:
        return None
    except Resolver404:
        # A moved-in site's old address (/2019/04/02/slug/, /category/a/b/): its
        # 301, cached like a page; anything else is Django's 404.
        return _moved(request)
    if match.url_name not in DIRECT_PAGES or match.namespace != "web":
        return None
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Exception:  # noqa: BLE001  (Django answers again, and reports it)
        return None
    if not PageCacheMiddleware.is_cacheable(request, response):
        return None
    for process_response in _inner_response_middleware():
        response = process_response(request, response)
    return response


def _moved(request: HttpRequest) -> HttpResponse | None:
    try:
        response = web_views.moved(request.path_info)
    except Exception:  # noqa: BLE001  (Django answers again, and reports it)
        return None
    if response is None:
        return None
    for process_response in _inner_response_middleware():
        response = process_response(request, response)
    return response


def _unstored(response: HttpResponse) -> store.CachedPage:
    """The page as a cache entry that was not stored: compressed when asked for."""
    return store.CachedPage(
        status=response.status_code,
        headers=list(response.items()),
        body=response.content,
        gzip_body=b"",
        brotli_body=b"",
        etag=response["ETag"],
        article_id=response.cached_article_id,
    )


@functools.cache
def _inner_response_middleware() -> tuple[Callable, ...]:
    """process_response of the middleware inside the page cache, innermost first:
    the headers a stored page has (X-Frame-Options, for one) come from them."""
    public = back_office.public_middleware(settings.MIDDLEWARE)
    inner = public[public.index(PAGE_CACHE_MIDDLEWARE) + 1 :]
    instances = [import_string(path)(lambda request: None) for path in inner]
    return tuple(
        instance.process_response
        for instance in reversed(instances)
        if hasattr(instance, "process_response")
    )
