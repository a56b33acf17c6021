"""Bulk work that tells the rest of the site once: one whole-site change after commit.

A save normally announces the surfaces it changed (page cache, fragments, export
journal) after its own commit. An import of thousands of posts would make thousands
of such announcements, and the file cache's cost per write grows with its size, so
an import slowed down as it went (10,000 posts did not finish in 30 minutes). Inside
`as_one_change()` saves announce nothing of their own; when the block's transaction
commits, the whole site is announced as changed once (as `sources` does for a
bibliography import with `works_changed`). Pages then re-render on their next
request, and fragments are rendered on first read.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import transaction

from broadsheet.publishing import signals
from broadsheet.publishing.surfaces import EVERYTHING

_in_bulk: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "broadsheet_in_bulk", default=False
)


@contextlib.contextmanager
def as_one_change() -> Iterator[None]:
    """Within the block (inside a transaction), saves defer their announcements
    to one whole-site change sent after commit; nothing is sent on rollback."""
    token = _in_bulk.set(True)
    try:
        yield
    finally:
        _in_bulk.reset(token)
    transaction.on_commit(
        lambda: signals.surfaces_changed.send(sender=None, surfaces={EVERYTHING})
    )


def in_bulk() -> bool:
    """Whether announcements are deferred to the end of an as_one_change() block."""
    return _in_bulk.get()
