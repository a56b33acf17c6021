"""Newsroom pages for the media library: browse, upload, edit alt text and credit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from broadsheet.content import services as content_services
from broadsheet.content.models import Article, Page
from broadsheet.editorial.roles import Role, has_role, newsroom_required, role_required
from broadsheet.media.models import Image
from broadsheet.media.services import MediaRefused, store_upload, update_image
from broadsheet.publishing import signals, surfaces
from broadsheet.rendering.images import referenced_ids

PER_PAGE = 48
# A hint for the browser's file picker; the server judges the content itself.
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/avif"
JSON_LIMIT = 200


class UploadForm(forms.Form):
    """The library's upload form; the service judges the file and the alt text."""

    file = forms.FileField(
        label=_("Image file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    alt = forms.CharField(
        label=_("Alt text"),
        required=False,  # store_upload() refuses it with its own message
        max_length=500,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    credit = forms.CharField(
        label=_("Credit"),
        required=False,
        max_length=300,
        help_text=_('Shown under the image, e.g. "Photo: Ada Lovelace".'),
    )


class ImageTextForm(forms.Form):
    """Edit an image's alt text and credit line."""

    alt = forms.CharField(label=_("Alt text"), required=False, max_length=500)
    credit = forms.CharField(label=_("Credit"), required=False, max_length=300)


@newsroom_required
def media_list(request: HttpRequest) -> HttpResponse:
    """The library as a grid of thumbnails, or as JSON for the editor's image picker."""
    images = Image.objects.all()
    query = request.GET.get("q", "").strip()
    if query:
        images = images.filter(Q(alt__icontains=query) | Q(credit__icontains=query))
    if request.GET.get("format") == "json":
        return JsonResponse({"images": [_item(i) for i in images[:JSON_LIMIT]]})
    return _library_page(request, images, query=query, form=UploadForm())


@role_required(Role.EDITOR)
def media_upload(request: HttpRequest) -> HttpResponse:
    """Take an upload into the library; a refusal is shown on the form."""
    if request.method != "POST":
        return redirect("newsroom:media-list")
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = store_upload(
                form.cleaned_data["file"],
                alt=form.cleaned_data["alt"],
                credit=form.cleaned_data["credit"],
                user=request.user,
            )
        except MediaRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"Added \u201c{image.alt}\u201d to the library.")
            return redirect("newsroom:media-detail", pk=image.pk)
    return _library_page(request, Image.objects.all(), form=form, status=400)


@newsroom_required
def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One image: its renditions, the Markdown that shows it, and (editors) its text."""
    image = get_object_or_404(Image, pk=pk)
    can_manage = has_role(request.user, Role.EDITOR)
    form = ImageTextForm(initial={"alt": image.alt, "credit": image.credit})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Your role does not allow this.")
        form = ImageTextForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    update_image(image, **form.cleaned_data)
                    shown = _refresh_documents_showing(image)
            except MediaRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request, f"Saved; {shown} article(s) and page(s) show the change."
                )
                return redirect("newsroom:media-detail", pk=image.pk)
        status = 400
    return render(
        request,
        "editorial/media/image_detail.html",
        {
            "image": image,
            "form": form,
            "can_manage": can_manage,
            "articles": _articles_showing(image),
        },
        status=status,
    )


def _library_page(request, images, *, form, query: str = "", status: int = 200):
    page = Paginator(images, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "editorial/media/image_list.html",
        {
            "page": page,
            "query": query,
            "form": form,
            "can_manage": has_role(request.user, Role.EDITOR),
        },
        status=status,
    )


def _item(image: Image) -> dict:
    return {
        "id": image.pk,
        "alt": image.alt,
        "credit": image.credit,
        "thumb_url": image.thumbnail_url,
        "markdown": image.markdown,
    }


def _articles_showing(image: Image) -> list[Article]:
    featured = Article.objects.filter(featured_image=image)
    in_body = Article.objects.filter(body__contains=f"media:{image.pk}")
    found = {a.pk: a for a in featured} | {
        a.pk: a for a in in_body if image.pk in referenced_ids(a.body)
    }
    return sorted(found.values(), key=lambda a: a.title)


def _refresh_documents_showing(image: Image) -> int:
    """Re-render what shows the image (its alt and credit are in the stored HTML)
    and retire the cached pages; return how many documents that was."""
    articles = _articles_showing(image)
    pages = [
        page
        for page in Page.objects.filter(body__contains=f"media:{image.pk}")
        if image.pk in referenced_ids(page.body)
    ]
    for document in (*articles, *pages):
        content_services.rerender(document)  # its save retires its fragments
    changed = surfaces.with_article_blocks(
        {surfaces.article_surface(a.pk) for a in articles}
    ) | {surfaces.IMAGES}
    if any(a.featured_image_id == image.pk for a in articles):
        changed.add(surfaces.ALL_LISTS)  # cards show the featured image
    transaction.on_commit(
        lambda: signals.surfaces_changed.send(sender=Image, surfaces=changed)
    )
    return len(articles) + len(pages)
