"""The page cache: whole responses stored with the surfaces they show.

Each stored page keeps a snapshot of the version token of every surface it shows
(see publishing.surfaces). Invalidation writes a new token for the changed surfaces,
so a page is served only while none of its surfaces changed: exact, and with no list
of keys to maintain. Tokens are nanosecond timestamps, which also lets a page whose
surfaces changed while it was being rendered skip the store instead of caching
stale text.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import mmap
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver

from broadsheet.pagecache.models import SurfaceChange
from broadsheet.publishing.surfaces import EVERYTHING, with_article_blocks

logger = logging.getLogger(__name__)

PAGE_PREFIX = "page:"
VERSION_PREFIX = "surface:"
# Bumped with every invalidation: while it stands still, pages a worker validated
# earlier are still valid, so a hit costs one small read instead of one per surface.
GENERATION = "surface-generation"
LOCAL_PAGES_MAX = 2000  # pages a worker keeps in memory (~100 KB each at most)
# With ARTICLE_TIMEOUT (web.views) this bounds how stale a shown view count gets.
LOCAL_SECONDS = 15

_local: dict[str | tuple[str, str], tuple[str, float, CachedPage]] = {}


@dataclass
class CachedPage:
    """A response ready to send, in identity, gzip and brotli encodings."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    gzip_body: bytes
    brotli_body: bytes
    etag: str
    article_id: int | None
    versions: dict[str, str] = field(default_factory=dict)
    # The query parameters the page's view reads; any others leave the page as it is.
    query_params: frozenset[str] = frozenset()


def page_key(path: str, query: str) -> str:
    return PAGE_PREFIX + hashlib.blake2b(f"{path}?{query}".encode()).hexdigest()


def kept_query(query: str, params: frozenset[str]) -> str:
    """The part of a query string that a page reading `params` depends on: its key.

    Anything else (a tracking tag, a made-up ?r=123) must neither miss the cache nor
    store another copy of the page.
    """
    if not query or not params:
        return ""
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in params]
    return urlencode(sorted(kept))


def strong_etag(body: bytes) -> str:
    # SHA-1 runs on the CPU's SHA extensions: 2.5x faster than BLAKE2b on an 80 KB
    # page here. An ETag needs to tell versions of one URL apart, not resist attacks.
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'


def find(path: str, query: str) -> CachedPage | None:
    """Return the cached page answering `path?query`, if current.

    Pages are stored under the query parameters their view reads (most read none),
    so the page stored without any says which of `query` matter.
    """
    generation = current_generation()
    now = time.monotonic()
    # lookup(path, "") written out: a call less on every hit.
    local = _local.get(path)
    if local and local[0] == generation and local[1] > now:
        page = local[2]
    else:
        page = _shared(path, "", path, generation, now)
    if page is not None and query and page.query_params:
        kept = kept_query(query, page.query_params)
        if kept:
            return lookup(path, kept)
    return page


def lookup(path: str, query: str) -> CachedPage | None:
    """Return the page stored under exactly `path?query` if none of its surfaces
    changed since."""
    generation = current_generation()
    now = time.monotonic()
    # Local copies need no hashed key: the path alone when there is no query (a
    # tuple otherwise, which no path equals).
    url = (path, query) if query else path
    local = _local.get(url)
    if local and local[0] == generation and local[1] > now:
        return local[2]
    return _shared(path, query, url, generation, now)


def _shared(
    path: str, query: str, url: str | tuple[str, str], generation: str, now: float
) -> CachedPage | None:
    page = cache.get(page_key(path, query))
    if page is None or not _is_current(page):
        _local.pop(url, None)
        return None
    if len(_local) >= LOCAL_PAGES_MAX:
        _local.clear()
    # The shared entry may outlive its timeout by at most this local copy's life.
    _local[url] = (generation, now + LOCAL_SECONDS, page)
    return page


def clear_local() -> None:
    """Forget this process's in-memory copies (tests; after clearing the cache)."""
    _local.clear()


def _is_current(page: CachedPage) -> bool:
    current = cache.get_many([VERSION_PREFIX + s for s in page.versions])
    return all(
        current.get(VERSION_PREFIX + surface, "0") == version
        for surface, version in page.versions.items()
    )


def store(
    path: str,
    query: str,
    *,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    surfaces: Iterable[str],
    article_id: int | None,
    started_ns: int,
    timeout: int,
    query_params: frozenset[str] = frozenset(),
) -> CachedPage | None:
    """Store a rendered page unless one of its surfaces changed while rendering.

    Stored under the parameters of `query` that it reads (`query_params`) only.
    """
    names = {*surfaces, EVERYTHING}
    current = cache.get_many([VERSION_PREFIX + s for s in names])
    versions = {s: current.get(VERSION_PREFIX + s, "0") for s in names}
    if any(int(version) >= started_ns for version in versions.values()):
        return None
    page = CachedPage(
        status=status,
        headers=headers,
        body=body,
        gzip_body=compress(body, "gzip"),
        brotli_body=compress(body, "br"),
        etag=strong_etag(body),
        article_id=article_id,
        versions=versions,
        query_params=query_params,
    )
    try:
        cache.set(page_key(path, kept_query(query, query_params)), page, timeout)
    except OSError as error:  # a full or read-only disk: the page is sent unkept
        logger.warning("Page %s not kept in the cache: %s", path, error)
        return None
    return page


def compress(body: bytes, encoding: str) -> bytes:
    """The body in a content encoding the hot path offers ("gzip" or "br")."""
    if encoding == "br":
        return brotli.compress(body, quality=5)
    return gzip.compress(body, compresslevel=6, mtime=0)


def invalidate(surfaces: Iterable[str]) -> None:
    """Mark every page showing any of `surfaces` as stale."""
    now = time.time_ns()
    surfaces = with_article_blocks(set(surfaces))
    versions = {VERSION_PREFIX + s: str(now) for s in surfaces}
    try:
        cache.set_many(versions, timeout=None)
    except OSError as error:
        # Pages whose surfaces kept their old versions would still be served as
        # current: forget every page instead (deleting needs no free space).
        logger.error("Cache versions not written (%s); clearing the page cache", error)
        cache.clear()
    _publish_generation(now)
    SurfaceChange.objects.bulk_create(
        SurfaceChange(surface=surface, changed_ns=now) for surface in surfaces
    )


# The journal (pagecache.models.SurfaceChange) keeps this long; an export last run
# before that re-renders every page.
JOURNAL_DAYS = 30


def prune_journal(*, keep_seconds: int = JOURNAL_DAYS * 86_400) -> int:
    """Forget invalidations older than `keep_seconds`; return how many rows went.

    In their place one EVERYTHING row at the cut-off tells an export whose last run
    is older than the cut-off (and so cannot know what changed since) to re-render
    every page; exports since then still see each change.
    """
    cutoff = time.time_ns() - keep_seconds * 1_000_000_000
    with transaction.atomic():
        deleted, _ = SurfaceChange.objects.filter(changed_ns__lt=cutoff).delete()
        if deleted:
            SurfaceChange.objects.create(surface=EVERYTHING, changed_ns=cutoff - 1)
    return deleted


def current_generation() -> str:
    """Return the token of the latest invalidation, as cheaply as the backend allows.

    With Redis it is one GET. With the machine-local file cache it is 8 bytes read
    from a memory-mapped file (about a microsecond, against tens for a cache read),
    which is what lets a hit cost little more than a bare WSGI callable.
    """
    return _generation_reader()()


@functools.cache
def _generation_reader() -> Callable[[], str]:
    # Chosen once per process (and again when a test changes the settings): each
    # read of django.conf.settings costs about as much as the map read itself.
    if settings.REDIS_URL:
        return lambda: cache.get(GENERATION, "0")  # per call: caches are per thread
    generation = _generation_map()
    return lambda: str(int.from_bytes(generation[:8], "little"))


@receiver(setting_changed)
def _forget_generation_reader(*, setting: str, **kwargs: object) -> None:
    if setting in ("REDIS_URL", "VAR_DIR", "CACHES"):
        _generation_reader.cache_clear()


def _publish_generation(now: int) -> None:
    if settings.REDIS_URL:
        cache.set(GENERATION, str(now), timeout=None)
    else:
        _generation_map()[:8] = now.to_bytes(8, "little")


_maps: dict[str, mmap.mmap] = {}


def _generation_map() -> mmap.mmap:
    # Keyed by VAR_DIR itself (tests switch it): building a Path on every hit cost
    # more than the rest of the lookup.
    var_dir = settings.VAR_DIR
    generation = _maps.get(var_dir)
    if generation is None:
        generation = _maps[var_dir] = _map_generation_file(
            Path(var_dir) / "cache" / "generation"
        )
    return generation


def _map_generation_file(path: Path) -> mmap.mmap:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as file:
        if file.seek(0, 2) < 8:
            file.write(b"\0" * 8)
            file.flush()
        return mmap.mmap(file.fileno(), 8)


def is_enabled() -> bool:
    return settings.BROADSHEET_PAGE_CACHE
