"""Serving MEDIA_ROOT: images as the type their name says, nothing as HTML."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.static import serve

# The library writes only these (media.services); a file another way put in
# MEDIA_ROOT is offered as a download, so no browser renders it as a page.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
}
# Library files live in a directory named for their upload, never rewritten.
IMMUTABLE = "public, max-age=31536000, immutable"


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Answer a file under MEDIA_ROOT with a safe Content-Type and cache headers."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    extension = posixpath.splitext(path)[1].lower()
    content_type = CONTENT_TYPES.get(extension)
    response["X-Content-Type-Options"] = "nosniff"
    if content_type is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
    response["Content-Type"] = content_type
    if path.startswith("images/"):
        response["Cache-Control"] = IMMUTABLE
    return response
