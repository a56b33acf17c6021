"""The sitemap index and its sections (publishing.sitemaps), through Django's views."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemaps
from django.http import HttpRequest, HttpResponse

from broadsheet.publishing.sitemaps import SITEMAPS, block_of
from broadsheet.publishing.surfaces import block_surface
from broadsheet.web.middleware import cache_surfaces


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: every section with its latest change (rendered every time)."""
    return sitemaps.index(request, SITEMAPS, sitemap_url_name="web:sitemap-section")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section; a block of articles shows only what its block surface covers."""
    # Django's template renders spacing, priorities and language alternates the
    # site never has, at a third of the cost of a 1,000-article section.
    response = sitemaps.sitemap(
        request, SITEMAPS, section=section, template_name="web/sitemap.xml"
    )
    response.render()
    block = block_of(section)
    if block is not None:
        cache_surfaces(response, {block_surface(block)})
    return response
