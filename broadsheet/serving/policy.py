"""Content-Security-Policy and Permissions-Policy on every response.

The policy is strict: scripts, styles, fonts and connections from the site itself
only, no 'unsafe-inline' and no 'unsafe-eval', no plugins, no framing, forms posting
to the site alone. The few inline blocks of our own templates (the theme script in
web/base.html that must run before first paint, the 500 page's style) are allowed
by their SHA-256 hashes, read from the templates themselves at start-up, so editing
a template cannot leave its hash stale. A hash is the same for every response, so
cached pages carry the same header as rendered ones: serving.hotpath adds what
this middleware adds, as it does for SecurityMiddleware's headers.

Images may also come over HTTPS from elsewhere: articles imported from other
platforms keep remote images whose addresses passed the scheme check. Why not
django-csp: Django 5.2 has no CSP of its own, and the cached fast path needs the
header as a constant outside Django's middleware; a hash policy is a dozen lines.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

INLINE_SOURCES = {"script": ["web/base.html"], "style": ["web/500.html"]}
DIRECTIVES = [
    ("default-src", "'self'"),
    ("script-src", "'self'{script}"),
    ("style-src", "'self'{style}"),
    ("img-src", "'self' https: data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
]
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(),"
    " microphone=(), payment=(), usb=()"
)


@functools.cache
def content_security_policy() -> str:
    """The policy, with the hashes of our templates' inline blocks."""
    hashes = {
        element: "".join(
            f" 'sha256-{digest}'"
            for name in names
            for digest in _inline_digests(_template_source(name), element)
        )
        for element, names in INLINE_SOURCES.items()
    }
    return "; ".join(f"{name} {value.format(**hashes)}" for name, value in DIRECTIVES)


def policy_headers() -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Security-Policy", content_security_policy()),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    )


class ContentSecurityPolicy:
    """Add the policy headers to every response that has none of its own (the
    media library's files carry a stricter sandbox policy).

    Back-office pages, never cached, also allow styles carrying this response's
    nonce (`request.csp_nonce`): the writing editor (CodeMirror) adds a <style>
    element and gives it the nonce.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = None
        if request.path_info.startswith(settings.BACK_OFFICE_PATHS):
            nonce = request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        for name, value in policy_headers():
            if name not in response:
                response[name] = value
        if nonce and "nonce" not in response["Content-Security-Policy"]:
            response["Content-Security-Policy"] = response[
                "Content-Security-Policy"
            ].replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'", 1)
        return response


def _template_source(name: str) -> str:
    return loader.get_template(name).template.source


def _inline_digests(source: str, element: str) -> list[str]:
    """Base64 SHA-256 of each <element>...</element> body with no attributes
    (our own template files, read with str.find: no pattern on any input)."""
    digests, opening, closing = [], f"<{element}>", f"</{element}>"
    start = source.find(opening)
    while start != -1:
        end = source.find(closing, start)
        body = source[start + len(opening) : end]
        if "{{" in body or "{%" in body:
            raise ValueError(f"inline <{element}> with template tags: hash mismatch")
        digests.append(
            base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        )
        start = source.find(opening, end)
    return digests
