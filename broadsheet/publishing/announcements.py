"""Bulk work that tells the rest of the site once: one whole-site change after commit.

A save normally announces the surfaces it changed (page cache, fragments, export
journal) after its own commit. An import of thousands of posts would make thousands
of such announcements, and the file cache's cost per write grows with its size, so
an import slowed down as it went (10,000 posts did not finish in 30 minutes). Inside
`as_one_change()` saves announce nothing of their own; when the block's transaction
commits, the whole site is announced as changed once (as `sources` does for a
bibliography import with `works_changed`). Pages then re-render on their next
request, and fragments are rendered on first read.

Rows derived from an article inside the transaction (its search index row, the
deletion of its stale fragments) are owed the same way: `owe(work, ids)` keeps
the article ids, and `work(ids)` runs for BATCH of them at a time, and for the
rest as the block ends, still inside its transaction, so a rollback takes them
away with the articles. One query for 500 articles instead of one per article
(docs/decisions/0023-wordpress-import-speed.md); memory stays flat.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction

from broadsheet.discovery import related
from broadsheet.publishing import signals
from broadsheet.publishing.surfaces import EVERYTHING

BATCH = 500

# Work owed inside an as_one_change() block: per function, the article ids it is
# owed for. None outside a block.
Owed = dict[Callable[[set[int]], object], set[int]]
_in_bulk: contextvars.ContextVar[Owed | None] = contextvars.ContextVar(
    "broadsheet_in_bulk", default=None
)


@contextlib.contextmanager
def as_one_change() -> Iterator[None]:
    """Within the block (inside a transaction), saves defer their announcements
    to one whole-site change sent after commit, and their derived rows to
    batches written before the block ends; nothing is sent on rollback."""
    owed: Owed = {}
    token = _in_bulk.set(owed)
    try:
        # Related reading reads the search rows: it is done last, all at once.
        with related.deferred():
            yield
            while owed:  # paying one work may owe another (a receiver of its writes)
                _pay(owed, next(iter(owed)))
    finally:
        _in_bulk.reset(token)
    transaction.on_commit(
        lambda: signals.surfaces_changed.send(sender=None, surfaces={EVERYTHING})
    )


def in_bulk() -> bool:
    """Whether announcements are deferred to the end of an as_one_change() block."""
    return _in_bulk.get() is not None


def owe(work: Callable[[set[int]], object], article_ids: Iterable[int]) -> None:
    """Inside as_one_change(): run `work` for these articles later, with others',
    in this transaction. `work` must give the same result however its ids are
    grouped (it reads the articles as they are stored when it runs)."""
    owed = _in_bulk.get()
    assert owed is not None, "owe() outside as_one_change()"
    ids = owed.setdefault(work, set())
    ids.update(article_ids)
    if len(ids) >= BATCH:
        _pay(owed, work)


def _pay(owed: Owed, work: Callable[[set[int]], object]) -> None:
    ids = owed.pop(work)
    rolling_back = transaction.get_connection().in_atomic_block and (
        transaction.get_rollback()
    )
    if ids and not rolling_back:  # a dry run keeps nothing anyway
        work(ids)
