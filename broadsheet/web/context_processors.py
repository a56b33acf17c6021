"""Template context shared by every public page: site settings, footer, navigation."""

from __future__ import annotations

import functools

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from broadsheet.content.models import Page, SiteSettings
from broadsheet.web import snapshot

_SETTINGS_FIELDS = [
    field.attname
    for field in SiteSettings._meta.concrete_fields
    if field.attname != "updated_at"
]
# One query for the settings row and its published footer pages: every uncached
# page pays for this, and the ORM's two queries cost ~1 ms of a ~2 ms page.
_SITE_SQL = (
    f"SELECT {', '.join('s.' + name for name in _SETTINGS_FIELDS)}, p.slug, p.title"
    f" FROM {SiteSettings._meta.db_table} s"
    f" LEFT JOIN {SiteSettings.footer_pages.through._meta.db_table} fp"
    "   ON fp.sitesettings_id = s.id"
    f" LEFT JOIN {Page._meta.db_table} p ON p.id = fp.page_id AND p.is_published"
    " WHERE s.id = 1 ORDER BY p.title, p.id"
)


def site(request: HttpRequest) -> dict:
    """Put the site settings, its footer pages and the navigation into templates."""
    return site_context(site_rows(request))


def site_rows(request: HttpRequest | None) -> tuple[tuple, ...]:
    """The settings row joined with each footer page: everything the site's
    header and footer show, as plain values (web.layout keys on them); read once
    per static export worker (web.snapshot), once per page otherwise."""
    return snapshot.held(request, "site rows", _read_site_rows) or _read_site_rows()


def _read_site_rows() -> tuple[tuple, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_SITE_SQL)
        rows = tuple(cursor.fetchall())
    if not rows:
        SiteSettings.load()  # creates the row with its defaults
        return _read_site_rows()
    return rows


@functools.lru_cache(maxsize=8)  # per site state: rows are the settings' values
def site_context(rows: tuple[tuple, ...]) -> dict:
    """The shared context for these rows; callers copy it, never change it."""
    width = len(_SETTINGS_FIELDS)
    settings = SiteSettings(**dict(zip(_SETTINGS_FIELDS, rows[0][:width], strict=True)))
    pages = [Page(slug=row[width], title=row[width + 1]) for row in rows if row[width]]
    return {"site": settings, "footer_pages": pages, "nav": navigation()}


@functools.cache
def navigation() -> dict[str, str]:
    """The site-wide links: fixed for the life of the process."""
    names = [
        "home",
        "most-read",
        "archive",
        "author-index",
        "category-index",
        "tag-index",
        "sources",
        "search",
        "feed-atom",
        "feed-rss",
        "feed-json",
        "image-credits",
    ]
    return {name.replace("-", "_"): reverse(f"web:{name}") for name in names}
