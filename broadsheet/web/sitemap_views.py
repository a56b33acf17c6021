"""The sitemap index and its sections (publishing.sitemaps), through Django's views."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemaps
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing.site_address import absolute_url
from broadsheet.publishing.sitemaps import LISTS, SITEMAPS, block_of
from broadsheet.publishing.surfaces import ALL_LISTS, LIST_PAGES, block_surface

PAGE_PARAM = frozenset({"p"})


@sitemaps.x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: every section with its latest change (rendered every time).

    Django's own index view names the sections on the request's Host, with no hook
    to change it; this one names them on the site's configured address.
    """
    entries = []
    for section, sitemap in SITEMAPS.items():
        url = reverse("web:sitemap-section", kwargs={"section": section})
        location, lastmod = absolute_url(url), sitemap.get_latest_lastmod()
        entries.append(sitemaps.SitemapIndexItem(location, lastmod))
        entries += [
            sitemaps.SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    dates = [entry.last_mod for entry in entries]
    headers = None
    if dates and None not in dates:  # as Django: only when every section has one
        headers = {"Last-Modified": http_date(max(dates).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section; a block of articles shows only what its block surface covers,
    the list pages what LIST_PAGES does (see publishing.surfaces)."""
    # Django's template renders spacing, priorities and language alternates the
    # site never has, at a third of the cost of a 1,000-article section.
    response = sitemaps.sitemap(
        request, SITEMAPS, section=section, template_name="web/sitemap.xml"
    )
    response.render()
    block = block_of(section)
    if block is not None:
        # Django's view reads the page of a section from ?p=.
        cache_surfaces(response, {block_surface(block)}, query_params=PAGE_PARAM)
    elif section == LISTS:
        cache_surfaces(response, {LIST_PAGES, ALL_LISTS}, query_params=PAGE_PARAM)
    return response
