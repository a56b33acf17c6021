"""Store cacheable public responses in the page cache (serving.hotpath serves them)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from broadsheet.pagecache import store

DEFAULT_TIMEOUT = 24 * 3600
# A page, or a permanent redirect from a moved-in site's old address (web.views.moved).
CACHED_STATUSES = (200, 301)


def cache_surfaces(
    response: HttpResponse,
    surfaces: set[str],
    *,
    timeout: int = DEFAULT_TIMEOUT,
    article_id: int | None = None,
    query_params: frozenset[str] = frozenset(),
) -> HttpResponse:
    """Mark a response as cacheable, showing `surfaces`, for at most `timeout` s.

    `query_params` names the query parameters the view read (request.GET): the
    page is kept per value of those, and any other parameter gets the same page.
    """
    response.surfaces = surfaces
    response.cache_timeout = timeout
    response.cached_article_id = article_id
    response.query_params = query_params
    return response


def finish_cacheable(
    request: HttpRequest, response: HttpResponse, started_ns: int
) -> store.CachedPage | None:
    """Give a cacheable response its revalidation headers; store it if caching.

    Returns the stored page, or None (cache off, or what it shows changed meanwhile).
    """
    response["Cache-Control"] = "no-cache"  # browsers revalidate by ETag
    response["ETag"] = store.strong_etag(response.content)  # same as hits
    patch_vary_headers(response, ["Accept-Encoding"])
    if not store.is_enabled():
        return None
    return store.store(
        request.path_info,
        request.META.get("QUERY_STRING", ""),
        status=response.status_code,
        headers=list(response.items()),
        body=response.content,
        surfaces=response.surfaces,
        article_id=response.cached_article_id,
        started_ns=started_ns,
        timeout=response.cache_timeout,
        query_params=response.query_params,
    )


class PageCacheMiddleware:
    """Keep GET responses that views marked with cache_surfaces().

    A session cookie changes nothing: public views never read the session (only
    serving.back_office's paths do, and they are never marked), so what one is shown
    with a session is what everyone is shown (docs/decisions/0009).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started_ns = time.time_ns()
        response = self.get_response(request)
        if self.is_cacheable(request, response):
            finish_cacheable(request, response, started_ns)
        return response

    @staticmethod
    def is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and response.status_code in CACHED_STATUSES
            and hasattr(response, "surfaces")
            and not response.cookies
            and not response.streaming
        )
