"""Where the export's pages render: in this process, or in forked workers."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

from django.core.cache import caches
from django.db import connections

from broadsheet.export.pages import PageRenderer, PageResult, render_batch, start_worker
from broadsheet.web import fragments

IN_FLIGHT_PER_JOB = 3  # tasks queued per worker so none waits for the crawl


class InProcess:
    """Rendering in this process, one batch at a time (--jobs 1)."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.results: list[PageResult] = []

    @property
    def busy(self) -> bool:
        return bool(self.results)

    @property
    def has_room(self) -> bool:
        return not self.results

    def submit(self, batch: list[tuple[str, str | None]]) -> None:
        self.results.extend(self.renderer.export(url, hash) for url, hash in batch)

    def finished(self) -> Iterator[PageResult]:
        results, self.results = self.results, []
        yield from results

    def render_fragments(self, batches: list[list[int]]) -> None:
        for batch in batches:
            fragments.render_missing(batch)

    def close(self) -> None:
        pass


class WorkerPool:
    """Rendering in `jobs` forked processes, a few batches queued for each."""

    def __init__(self, jobs: int, target: Path, site_url: str) -> None:
        # A forked child must not share the parent's database or cache sockets.
        connections.close_all()
        caches.close_all()
        self.limit = jobs * IN_FLIGHT_PER_JOB
        self.pending: set[Future[list[PageResult]]] = set()
        self.executor = ProcessPoolExecutor(
            jobs,
            mp_context=get_context("fork"),  # workers inherit settings and overrides
            initializer=start_worker,
            initargs=(target, site_url),
        )
        self.executor.submit(int)  # fork them all now, while this process is lean

    @property
    def busy(self) -> bool:
        return bool(self.pending)

    @property
    def has_room(self) -> bool:
        return len(self.pending) < self.limit

    def submit(self, batch: list[tuple[str, str | None]]) -> None:
        self.pending.add(self.executor.submit(render_batch, batch))

    def finished(self) -> Iterator[PageResult]:
        """Results of the batches done, waiting for at least one."""
        if not self.pending:
            return
        done, self.pending = wait(self.pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield from future.result()

    def render_fragments(self, batches: list[list[int]]) -> None:
        """Render article fragments across the workers, waiting for all of them."""
        # list() waits for every batch and raises a worker's error as the export's.
        list(self.executor.map(fragments.render_missing, batches))

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)
