"""The image credits page: every library image live articles show, with its credit."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.content.models import Article
from broadsheet.media.models import Image
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing.surfaces import ALL_LISTS, IMAGES, SITE, article_surface
from broadsheet.web.image_use import shown_by


def image_credits(request: HttpRequest) -> HttpResponse:
    """List each image shown in a live article, its credit and the articles.

    Two queries: the live articles whose stored HTML or featured image shows a
    library image, then those images.
    """
    prefix = settings.MEDIA_URL + "images/"
    articles = (
        Article.objects.live()
        .filter(
            Q(featured_image__isnull=False)
            | Q(body_html__contains=prefix)
            | Q(notes_html__contains=prefix)
        )
        .only("pk", "title", "slug", "featured_image_id", "body_html", "notes_html")
        .order_by("-published_at", "-pk")
    )
    by_directory: dict[str, list[Article]] = {}
    by_featured: dict[int, list[Article]] = {}
    for article in articles:
        featured, directories = shown_by(article)
        for directory in directories:
            by_directory.setdefault(directory, []).append(article)
        if featured:
            by_featured.setdefault(featured, []).append(article)
    rows = []
    if by_directory or by_featured:
        query = Q(pk__in=list(by_featured))
        for directory in by_directory:
            query |= Q(file__startswith=directory)
        for image in Image.objects.filter(query).order_by("alt", "pk"):
            directory = image.file.rsplit("/", 1)[0] + "/"
            used = by_featured.get(image.pk, []) + by_directory.get(directory, [])
            rows.append(
                {"image": image, "articles": list({a.pk: a for a in used}.values())}
            )
    response = render(request, "web/image_credits.html", {"rows": rows})
    shown = {article_surface(a.pk) for row in rows for a in row["articles"]}
    return cache_surfaces(response, {SITE, ALL_LISTS, IMAGES, *shown})
