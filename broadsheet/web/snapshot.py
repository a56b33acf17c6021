"""Answers read once per static export worker: list orders, related reading, bylines.

A static export renders every page of every list and every article in one go. Asked
page by page, the database sorted a tag's 1,250 articles (and counted them) again
for each of the tag's 125 pages, scored related reading once per article, and looked
an article up again for each of its three citation exports: together more than half
of a 10,000-article export. While a Snapshot is in use (export.pages holds one
per worker process), the views ask it first: it reads each answer the first time it
is asked and keeps it for the worker's life. The pages are the same bytes either way
(tests/web/test_export.py compares every exported file with the server's page).

The server never uses one: its pages show each change at once, and its page cache
makes a second render of the same page rare.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_current: Snapshot | None = None


class Snapshot:
    """Answers by key, each read on first use."""

    def __init__(self) -> None:
        self.answers: dict[Hashable, Any] = {}
        self.asked: dict[Hashable, int] = {}


@contextmanager
def using(snapshot: Snapshot) -> Iterator[None]:
    """Let the views answer from `snapshot` inside this block."""
    global _current
    previous, _current = _current, snapshot
    try:
        yield
    finally:
        _current = previous


def held(key: Hashable, read: Callable[[], T], *, after: int = 0) -> T | None:
    """The snapshot's answer for `key` (read() on first use); None outside one.

    With `after`, also None for the first `after` asks: an answer that reads the
    whole site pays only when many pages ask (not in an incremental export that
    re-renders a dozen).
    """
    if _current is None:
        return None
    answers = _current.answers
    if key not in answers:
        asked = _current.asked[key] = _current.asked.get(key, 0) + 1
        if asked <= after:
            return None
        answers[key] = read()
    return answers[key]
