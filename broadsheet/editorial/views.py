"""The newsroom desk: the articles a user may work on, by state."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.content.models import Article
from broadsheet.editorial.roles import Role, has_role, newsroom_required


@newsroom_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Articles newest change first, filtered by state; editors see everyone's."""
    articles = Article.objects.with_bylines().order_by("-updated_at")
    if not has_role(request.user, Role.EDITOR):
        articles = articles.filter(
            Q(created_by=request.user) | Q(article_authors__author__user=request.user)
        ).distinct()
    counts = {state: 0 for state, _label in Article.Status.choices}
    for state in articles.values_list("status", flat=True):
        counts[state] += 1
    state = request.GET.get("state", "")
    if state in counts:
        articles = articles.filter(status=state)
    states = [(value, label, counts[value]) for value, label in Article.Status.choices]
    return render(
        request,
        "editorial/dashboard.html",
        {
            "articles": articles[:200],
            "states": states,
            "state": state,
            "total": sum(counts.values()),
            "is_editor": has_role(request.user, Role.EDITOR),
        },
    )
