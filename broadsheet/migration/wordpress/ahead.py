"""Convert posts in a second process while the import writes the ones before.

Converting a post's HTML to Markdown (BeautifulSoup and markdownify: about a
third of an import's CPU time) needs nothing but the post and the export's
attachments, while the writing needs the database and its one transaction. So
a forked worker converts up to WINDOW posts ahead of the loader, on the other
core, and the loader takes each conversion in the export's order: the result is
the import it would be in one process (docs/decisions/0023-wordpress-import-speed.md).

The worker is forked after the attachments are read, so it holds them as the
loader does, and it never touches the database: the connection it inherits is
the loader's, inside the loader's transaction (a forked child exits without
closing it). On one core, or for a handful of posts, conversion stays in the
loader's process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

from broadsheet.migration.wordpress.convert import Conversion, convert_post
from broadsheet.migration.wordpress.media_markup import MediaFinder
from broadsheet.migration.wordpress.wxr import WxrItem

WINDOW = 64  # posts converted ahead at most: memory stays flat
BATCH = 8  # posts a task: the hop to the worker and back costs as much as a post

_media: MediaFinder | None = None  # the worker's copy, inherited at the fork


def convert_item(item: WxrItem, media: MediaFinder | None) -> Conversion:
    """The Markdown of one post or page, as the import stores it."""
    return convert_post(
        item.content,
        footnotes=item.meta_value("footnotes"),
        media=media,
        post_id=item.wp_id,
    )


def converted_ahead(
    records: Iterable[object],
    wanted: Callable[[object], bool],
    media: MediaFinder | None,
    *,
    parallel: bool,
) -> Iterator[tuple[object, Conversion | None]]:
    """Each record with the conversion of it when `wanted(record)`, else None, in
    order; with `parallel`, converted by a forked worker ahead of the caller."""
    if not parallel or (os.cpu_count() or 1) < 2:
        for record in records:
            yield record, convert_item(record, media) if wanted(record) else None
        return
    global _media
    _media = media  # for the fork to inherit; the worker reads it
    pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    try:
        # Batches of BATCH posts, each with the records between: one hop each way.
        pending: deque[tuple[list[object], Future]] = deque()
        batch: list[object] = []
        posts = 0
        for record in records:
            batch.append(record)
            posts += wanted(record)
            if posts == BATCH or len(batch) >= BATCH * 32:  # attachments between
                pending.append((batch, _submit(pool, batch, wanted)))
                batch, posts = [], 0
                if len(pending) * BATCH >= WINDOW:
                    yield from _taken(pending.popleft(), wanted)
        pending.append((batch, _submit(pool, batch, wanted)))
        while pending:
            yield from _taken(pending.popleft(), wanted)
    finally:
        pool.shutdown(cancel_futures=True)
        _media = None


def _submit(
    pool: ProcessPoolExecutor, batch: list[object], wanted: Callable[[object], bool]
) -> Future:
    return pool.submit(_convert_in_worker, [r for r in batch if wanted(r)])


def _taken(
    entry: tuple[list[object], Future], wanted: Callable[[object], bool]
) -> Iterator[tuple[object, Conversion | None]]:
    batch, job = entry
    conversions = iter(job.result())
    for record in batch:
        yield record, next(conversions) if wanted(record) else None


def _convert_in_worker(items: list[WxrItem]) -> list[Conversion]:
    return [convert_item(item, _media) for item in items]
