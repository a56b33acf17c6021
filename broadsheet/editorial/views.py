"""Newsroom pages: the writer's desk (lists of their articles by state)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.content.models import Article
from broadsheet.editorial.roles import Role, has_role, newsroom_required


@newsroom_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The articles this user may work on, newest change first."""
    articles = Article.objects.with_bylines().order_by("-updated_at")
    if not has_role(request.user, Role.EDITOR):
        articles = articles.filter(created_by=request.user) | articles.filter(
            article_authors__author__user=request.user
        )
    return render(
        request,
        "editorial/dashboard.html",
        {"articles": articles.distinct()[:200]},
    )
