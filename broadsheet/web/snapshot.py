"""Answers read once per static export worker: list orders, related reading, bylines.

A static export renders every page of every list and every article in one go. Asked
page by page, the database sorted a tag's 1,250 articles (and counted them) again
for each of the tag's 125 pages, scored related reading once per article, and looked
an article up again for each of its three citation exports: together more than half
of a 10,000-article export. While a Snapshot is in use (export.pages holds one
per worker process), the views ask it first: it reads each answer the first time it
is asked and keeps it for the worker's life. The pages are the same bytes either way
(tests/export/test_crawl.py compares every exported file with the server's page).

The snapshot travels with the request (in its WSGI environ, as a server passes its
own values): no module state decides what a view reads.

The server never uses one: its pages show each change at once, and its page cache
makes a second render of the same page rare.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.http import HttpRequest

T = TypeVar("T")

ENVIRON_KEY = "broadsheet.snapshot"


class Snapshot:
    """Answers by key, each read on first use."""

    def __init__(self) -> None:
        self.answers: dict[Hashable, Any] = {}
        self.asked: dict[Hashable, int] = {}


def attach(environ: dict[str, Any], snapshot: Snapshot) -> None:
    """Let the views of requests made from `environ` answer from `snapshot`."""
    environ[ENVIRON_KEY] = snapshot


def held(
    request: HttpRequest | None,
    key: Hashable,
    read: Callable[[], T],
    *,
    after: int = 0,
) -> T | None:
    """The answer for `key` from the request's snapshot (read() on first use);
    None when the request carries none (every request the server answers).

    With `after`, also None for the first `after` asks: an answer that reads the
    whole site pays only when many pages ask (not in an incremental export that
    re-renders a dozen).
    """
    current = request.META.get(ENVIRON_KEY) if request is not None else None
    if current is None:
        return None
    answers = current.answers
    if key not in answers:
        asked = current.asked[key] = current.asked.get(key, 0) + 1
        if asked <= after:
            return None
        answers[key] = read()
    return answers[key]
