"""The page cache: whole responses stored with the surfaces they show.

Each stored page keeps a snapshot of the version token of every surface it shows
(see publishing.surfaces). Invalidation writes a new token for the changed surfaces,
so a page is served only while none of its surfaces changed: exact, and with no list
of keys to maintain. Tokens are nanosecond timestamps, which also lets a page whose
surfaces changed while it was being rendered skip the store instead of caching
stale text.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import brotli
from django.conf import settings
from django.core.cache import cache

from broadsheet.publishing.surfaces import EVERYTHING

PAGE_PREFIX = "page:"
VERSION_PREFIX = "surface:"


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


def page_key(path: str, query: str) -> str:
    return PAGE_PREFIX + hashlib.blake2b(f"{path}?{query}".encode()).hexdigest()


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def lookup(path: str, query: str) -> CachedPage | None:
    """Return the cached page for a URL if none of its surfaces changed since."""
    page = cache.get(page_key(path, query))
    if page is None:
        return None
    current = cache.get_many([VERSION_PREFIX + s for s in page.versions])
    for surface, version in page.versions.items():
        if current.get(VERSION_PREFIX + surface, "0") != version:
            return None
    return page


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
) -> CachedPage | None:
    """Store a rendered page unless one of its surfaces changed while rendering."""
    names = {*surfaces, EVERYTHING}
    current = cache.get_many([VERSION_PREFIX + s for s in names])
    versions = {s: current.get(VERSION_PREFIX + s, "0") for s in names}
    if any(int(version) >= started_ns for version in versions.values()):
        return None
    page = CachedPage(
        status=status,
        headers=headers,
        body=body,
        gzip_body=gzip.compress(body, compresslevel=6, mtime=0),
        brotli_body=brotli.compress(body, quality=5),
        etag=strong_etag(body),
        article_id=article_id,
        versions=versions,
    )
    cache.set(page_key(path, query), page, timeout)
    return page


def invalidate(surfaces: Iterable[str]) -> None:
    """Mark every page showing any of `surfaces` as stale."""
    token = str(time.time_ns())
    cache.set_many({VERSION_PREFIX + s: token for s in surfaces}, timeout=None)


def is_enabled() -> bool:
    return settings.BROADSHEET_PAGE_CACHE
