"""The indexes of sections and tags: every term with live articles, and how many."""

from __future__ import annotations

from django.db.models import Count, Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.content.models import Article, Category, Tag
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing.surfaces import (
    ALL_LISTS,
    SITE,
    row_surface,
    term_index_surface,
)


def _index(request: HttpRequest, model: type[Model], context: dict) -> HttpResponse:
    # Counting only live articles leaves out terms known only from drafts.
    live = Q(articles__in=Article.objects.live())
    terms = list(
        model.objects.annotate(article_count=Count("articles", filter=live)).filter(
            article_count__gt=0
        )
    )
    response = render(request, "web/term_index.html", {**context, "terms": terms})
    kind = model._meta.model_name
    # A publish or withdrawal changes counts (list:all); a term linked or renamed
    # outside a publish is announced on the index's own surface.
    surfaces = {SITE, ALL_LISTS, term_index_surface(kind)}
    surfaces |= {row_surface(kind, term.pk) for term in terms}
    return cache_surfaces(response, surfaces)


def category_index(request: HttpRequest) -> HttpResponse:
    """Every section with live articles, with its description."""
    context = {"heading": "Sections", "kind": "category", "empty": "No section"}
    return _index(request, Category, context)


def tag_index(request: HttpRequest) -> HttpResponse:
    """Every tag with live articles."""
    context = {"heading": "Tags", "kind": "tag", "empty": "No tag"}
    return _index(request, Tag, context)
