"""Unpublished text as readers will see it: newsroom previews and share links."""

from __future__ import annotations

import datetime
import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from broadsheet import rendering
from broadsheet.content import services as content_services
from broadsheet.content.models import Article, SiteSettings
from broadsheet.editorial import revisions
from broadsheet.editorial.article_views import editable_article
from broadsheet.editorial.models import ShareLink
from broadsheet.editorial.roles import newsroom_required
from broadsheet.publishing.site_address import absolute_url
from broadsheet.readership import counting
from broadsheet.web import fragments

SHARE_DAYS = (1, 3, 7, 14)


@newsroom_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The working text (pending changes included) in the reader's page."""
    return _preview_response(request, editable_article(request, pk))


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """What a share link opens, for anyone holding it until it expires."""
    link = ShareLink.objects.filter(token_hash=ShareLink.hash_token(token)).first()
    if link is None or not link.is_open:
        raise Http404("This preview link has expired or was revoked.")
    return _preview_response(request, link.article)


@newsroom_required
def article_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Make, list and revoke share links for one article."""
    article = editable_article(request, pk)
    if request.method == "POST":
        days = int(request.POST.get("days") or 7)
        if days not in SHARE_DAYS:
            days = 7
        token = secrets.token_urlsafe(24)
        ShareLink.objects.create(
            article=article,
            token_hash=ShareLink.hash_token(token),
            created_by=request.user,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        url = absolute_url(reverse("newsroom-share", kwargs={"token": token}))
        messages.success(
            request,
            f"Share this link (it opens the text as it stands, until it expires in"
            f" {days} days; it is shown only now): {url}",
        )
        return redirect("newsroom:article-share", pk=article.pk)
    return render(
        request,
        "editorial/share.html",
        {"article": article, "links": article.share_links.all(), "days": SHARE_DAYS},
    )


@newsroom_required
@require_POST
def share_revoke(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    article = editable_article(request, pk)
    article.share_links.filter(pk=link_id).update(revoked=True)
    messages.success(request, "The link no longer opens the draft.")
    return redirect("newsroom:article-share", pk=article.pk)


def _preview_response(request: HttpRequest, article: Article) -> HttpResponse:
    shown = _working_copy(article)
    own = fragments.render_fragments(shown, is_preview=True)
    context = {
        "fragments": own,
        "header": fragments.header_with_views(
            own.header_html,
            counting.view_count(article.pk),
            SiteSettings.load().views_shown_from,
        ),
        "related": [],
        "preview_of": shown,
    }
    response = render(request, "web/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _working_copy(article: Article) -> Article:
    """The article with its working text rendered in memory, nothing saved."""
    pending = revisions.open_pending(article)
    if pending is None and article.pipeline_version == rendering.PIPELINE_VERSION:
        return article
    copy = Article.objects.with_bylines().get(pk=article.pk)
    if pending is not None:
        revisions.apply_text(copy, pending.content)
    copy.apply_rendering(
        content_services.render_source(copy.body), version=rendering.PIPELINE_VERSION
    )
    return copy
