"""The site's public address: the one start of every absolute URL it writes."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """Return `path` as an absolute URL on the configured public address.

    settings.BROADSHEET_SITE_URL, never the Host a request came in on: canonical
    links, feeds, sitemaps and citations must not vary by request, and what is
    cached or exported once is shown to everyone.
    """
    return settings.BROADSHEET_SITE_URL.rstrip("/") + path


def scheme_and_domain() -> tuple[str, str]:
    """The address as django.contrib.sitemaps takes it: ("https", "host[:port]")."""
    address = urlsplit(settings.BROADSHEET_SITE_URL.rstrip("/"))
    return address.scheme or "http", address.netloc + address.path
