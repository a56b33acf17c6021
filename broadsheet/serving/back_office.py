"""Sessions, CSRF, authentication, messages, lockouts: for the back office only.

Public pages never read a session, a user or a message, and take no form posts, yet
those middleware cost every public request a fifth of its time uncached (some
0.3 ms of 1.7). In settings.MIDDLEWARE they sit, under their own names, between
BackOffice and BackOfficeEnd; a request outside BACK_OFFICE_PATHS goes from
BackOffice straight past BackOfficeEnd and never meets them.

Django has no per-URL middleware, and its system checks (the admin's, CSRF's,
django-axes') look for these middleware in MIDDLEWARE by name. A second handler for
the back office would have split the WSGI entry and the test client's view of the
site; a wrapper running them from another setting hid them from the checks. The
bracket keeps one handler and lists each where the checks look.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]
START = "broadsheet.serving.back_office.BackOffice"
END = "broadsheet.serving.back_office.BackOfficeEnd"

# Django builds a middleware chain innermost first, in one call: BackOfficeEnd is
# built just before the middleware it closes, and BackOffice just after them.
_built = threading.local()


def is_back_office(request: HttpRequest) -> bool:
    return request.path_info.startswith(settings.BACK_OFFICE_PATHS)


class BackOfficeEnd:
    """Close the back-office block of MIDDLEWARE (see BackOffice)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        _built.past_block = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class BackOffice:
    """Open the back-office block: the middleware up to BackOfficeEnd run for
    BACK_OFFICE_PATHS; every other request skips them."""

    def __init__(self, get_response: Handler) -> None:
        self.through_block = get_response
        self.past_block = getattr(_built, "past_block", None)
        _built.past_block = None
        if self.past_block is None:
            raise ImproperlyConfigured(f"{START} needs {END} after it in MIDDLEWARE.")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_back_office(request):
            return self.through_block(request)
        return self.past_block(request)


def public_middleware(middleware: list[str]) -> list[str]:
    """`middleware` without the back-office block: what a public page runs."""
    if START not in middleware:
        return list(middleware)
    start = middleware.index(START)
    return middleware[:start] + middleware[middleware.index(END) + 1 :]


def check_back_office_middleware(**kwargs: Any) -> list[checks.Error]:
    """The bracket is whole: BackOffice, then BackOfficeEnd, in MIDDLEWARE."""
    middleware = settings.MIDDLEWARE
    if START in middleware and END in middleware[middleware.index(START) :]:
        return []
    return [
        checks.Error(
            f"{START} and then {END} must be in MIDDLEWARE, around the "
            "back-office middleware (sessions, CSRF, authentication, messages).",
            id="web.E001",
        )
    ]
