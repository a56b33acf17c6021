"""The image credits page: every library image live articles show, with its credit.

Served uncached: which article shows which image is not a page-cache surface, so
an edit adding a first image to a live article (which retires only that
article's own pages) could not retire a cached copy of this page. It costs two
queries, reading only the articles whose stored HTML holds a library image.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.content.models import Article
from broadsheet.media.models import Image

# Library files sit in a directory per upload (media.services.store_upload).
_UPLOAD_DIRECTORY = re.compile(r"images/[0-9a-f]{32}/")


def image_credits(request: HttpRequest) -> HttpResponse:
    """List each image shown in a live article, its credit and the articles."""
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
    directories: dict[str, list[Article]] = {}
    featured: dict[int, list[Article]] = {}
    for article in articles:
        shown = set(_UPLOAD_DIRECTORY.findall(article.body_html + article.notes_html))
        for directory in shown:
            directories.setdefault(directory, []).append(article)
        if article.featured_image_id:
            featured.setdefault(article.featured_image_id, []).append(article)
    query = Q(pk__in=featured)
    for directory in directories:
        query |= Q(file__startswith=directory)
    rows = []
    images = Image.objects.filter(query).order_by("alt", "pk") if query else []
    for image in images:
        used = featured.get(image.pk, []) + directories.get(
            image.file.rsplit("/", 1)[0] + "/", []
        )
        unique = list({article.pk: article for article in used}.values())
        rows.append({"image": image, "articles": unique})
    return render(request, "web/image_credits.html", {"rows": rows})
