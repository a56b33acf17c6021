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
        pending: deque[tuple[object, Future | None]] = deque()
        for record in records:
            job = pool.submit(_convert_in_worker, record) if wanted(record) else None
            pending.append((record, job))
            if len(pending) >= WINDOW:
                yield _taken(pending.popleft())
        while pending:
            yield _taken(pending.popleft())
    finally:
        pool.shutdown(cancel_futures=True)
        _media = None


def _taken(entry: tuple[object, Future | None]) -> tuple[object, Conversion | None]:
    record, job = entry
    return record, job.result() if job is not None else None


def _convert_in_worker(item: WxrItem) -> Conversion:
    return convert_item(item, _media)
