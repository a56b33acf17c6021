"""Which home-page query strings are a moved-in site's old links (/?p=21).

The home page reads no query parameter, so the page cache gives it for any
query string (docs/decisions/0009). A WordPress link such as /?p=21 must get
its 301 instead, but only when that redirect exists: /?p=9, with none, is the
home page like /?utm_source=x. The hot path asks here first; the set of old
query addresses is read once per process and again after any invalidation (the
import that made them announces one), not per request.
"""

from __future__ import annotations

from broadsheet.pagecache import store
from broadsheet.publishing import redirects

_KEYS = frozenset(redirects.OLD_QUERY_KEYS)
_known: tuple[str, frozenset[str]] = ("", frozenset())


def cache_query(query: str) -> str | None:
    """The page cache query of a home-page old link's 301, or None: not one."""
    global _known
    old = redirects.home_query(query)
    if old is None:
        return None
    generation = store.current_generation()
    if _known[0] != generation:
        _known = (generation, redirects.old_queries())
    if old not in _known[1]:
        return None
    return store.kept_query(query, _KEYS)  # as web.views.home stores the 301


def forget() -> None:
    """Read the set again on next use (tests)."""
    global _known
    _known = ("", frozenset())
