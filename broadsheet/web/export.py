"""Static export: the public site written to files at identical URLs.

Like Pelican's Writer, the pages are the very responses the server gives, produced
by Django's own request handler (web.export_workers). The export crawls from the
home page, the sitemap and the feeds, follows every internal link, and fails when
one does not resolve, so a dangling link can never be published. A manifest
remembers each page's surfaces (see publishing.surfaces), links and content hash: a
re-run re-renders only pages whose surfaces changed (web.models.SurfaceChange
journals every invalidation) and rewrites only files whose bytes differ.

This process keeps the crawl frontier and the manifest; worker processes (one per
core by default) render, write and report back a few strings per page, so neither
side ever holds more than one page's body.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import django
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test.utils import override_settings

import broadsheet
from broadsheet.publishing.surfaces import EVERYTHING
from broadsheet.web import cache, fragments
from broadsheet.web.export_workers import (
    NEVER_EXPORTED,
    PageRenderer,
    PageResult,
    file_for,
    render_batch,
    start_worker,
)
from broadsheet.web.models import SurfaceChange

__all__ = ["ExportError", "ExportReport", "StaticExport", "file_for"]

MANIFEST = ".broadsheet-export.json"
MANIFEST_VERSION = 2
SEEDS = [
    "/",
    "/sitemap.xml",
    "/feed/",
    "/feed/atom/",
    "/most-read/",
    "/archive/",
    "/robots.txt",
    "/favicon.ico",
]
BATCH = 16  # URLs per task: enough to amortise the hop, few enough to balance
IN_FLIGHT_PER_JOB = 3  # tasks queued per worker so none waits for the crawl
FRAGMENT_BATCH = 100  # articles per fragment task: one query per relation each

# One manifest entry: [file ("" when file_for(url, html)), sha256, link ids, surface
# ids]; ids are space-separated indices into the manifest's URL and surface tables.
# Short strings instead of lists keep 100,000 pages in a few tens of megabytes.
Entry = list[str]


class ExportError(Exception):
    """Raised when the export finds dangling links or pages that fail."""


@dataclass
class ExportReport:
    written: int = 0
    unchanged: int = 0
    reused: int = 0
    deleted: int = 0
    links_checked: int = 0
    fragments: int = 0
    dangling: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "article fragments rendered first": self.fragments,
            "files written": self.written,
            "unchanged": self.unchanged,
            "pages reused without rendering": self.reused,
            "files deleted": self.deleted,
            "internal links checked": self.links_checked,
        }


class Interned:
    """An append-only table of strings numbered in order of first sight."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = list(dict.fromkeys(names))  # first sight wins
        self.ids: dict[str, int] = {name: n for n, name in enumerate(self.names)}

    def id(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:
            found = self.ids[name] = len(self.names)
            self.names.append(name)
        return found

    def encode(self, names: Iterable[str]) -> str:
        return " ".join(str(self.id(name)) for name in names)

    def decode(self, ids: str) -> list[str]:
        return [self.names[int(number)] for number in ids.split()]


class Manifest:
    """Pages of one run by URL id, with the URL and surface tables they refer to."""

    def __init__(
        self,
        started_ns: int | None = None,
        urls: Interned | None = None,
        surfaces: Interned | None = None,
        pages: dict[int, Entry] | None = None,
        build: str = "",
        complete: bool = False,
    ) -> None:
        self.started_ns = started_ns
        self.urls = urls or Interned()
        self.surfaces = surfaces or Interned()
        self.pages = pages or {}
        self.build = build  # build_fingerprint() of the run
        # Every page reached had a 200 and an entry: no dangling link, no failure.
        self.complete = complete

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest at `path`; an empty one when there is none."""
        if not path.exists():
            return cls()
        with collector_paused():
            data = json.loads(path.read_bytes())
            if data.get("version") != MANIFEST_VERSION:
                return cls._from_first_version(data)
            pages = {n: entry for n, entry in enumerate(data["pages"]) if entry}
            return cls(
                data["started_ns"],
                Interned(data["urls"]),
                Interned(data["surfaces"]),
                pages,
                data.get("build", ""),
                data.get("complete", False),
            )

    @classmethod
    def _from_first_version(cls, data: dict) -> Manifest:
        """Convert {"pages": {url: {file, hash, links, surfaces}}} (one list each)."""
        manifest = cls(data.get("started_ns"))
        for url, page in data.get("pages", {}).items():
            manifest.add(
                url,
                page["file"],
                page["hash"],
                [link for link in page["links"] if not link.startswith(NEVER_EXPORTED)],
                page.get("surfaces") or (),
            )
        return manifest

    def add(
        self,
        url: str,
        file: str,
        digest: str,
        links: Iterable[str],
        surfaces: Iterable[str],
    ) -> None:
        number = self.urls.id(url)
        usual = file == file_for(url, "text/html")
        self.pages[number] = [
            "" if usual else file,
            digest,
            self.urls.encode(links),
            self.surfaces.encode(surfaces),
        ]

    def file(self, number: int) -> str:
        return self.pages[number][0] or file_for(self.urls.names[number], "text/html")

    def write(self, path: Path, reached: set[int]) -> None:
        """Write atomically, dropping URLs no longer reached once they pile up."""
        if len(self.urls.names) > 1.25 * len(reached):
            self._renumber(reached)
        pages = (self.pages.get(number) for number in range(len(self.urls.names)))
        header = {
            "version": MANIFEST_VERSION,
            "started_ns": self.started_ns,
            "build": self.build,
            "complete": self.complete,
        }
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("w") as file:
            file.write(json.dumps(header)[:-1])  # the object stays open for the tables
            for name, items in [
                ("urls", self.urls.names),
                ("surfaces", self.surfaces.names),
                ("pages", pages),
            ]:
                file.write(f', "{name}": ')
                write_array(file, items)
            file.write("}")
        temporary.replace(path)

    def _renumber(self, reached: set[int]) -> None:
        """Number only the URLs reached this run (every link target is one)."""
        old = self.urls.names
        self.urls = Interned(old[number] for number in sorted(reached))
        pages = {}
        for number, (file, digest, links, surfaces) in self.pages.items():
            renumbered = " ".join(
                str(self.urls.ids[old[int(link)]]) for link in links.split()
            )
            pages[self.urls.ids[old[number]]] = [file, digest, renumbered, surfaces]
        self.pages = pages


class StaticExport:
    """One run of the export into `target`; call run()."""

    def __init__(
        self,
        target: Path,
        *,
        progress: Callable[[str], None] | None = None,
        notice: Callable[[str], None] | None = None,
        jobs: int | None = None,
    ) -> None:
        self.target = target
        self.root = os.path.join(target, "")  # str: a Path per page costs seconds
        self.progress = progress or (lambda url: None)  # called with each page's URL
        self.notice = notice or (lambda line: None)  # a stage of the run begins
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.old = self.new = Manifest()  # read by run(), after the workers fork
        self.report = ExportReport()
        self.reached: set[int] = set()
        self.frontier: list[int] = []
        self.replaced: dict[int, str] = {}  # URL id -> previous file, while rendering

    def run(self) -> ExportReport:
        """Export every reachable page, copy assets, check links; raise ExportError."""
        started_ns = time.time_ns()
        self.target.mkdir(parents=True, exist_ok=True)
        site_url = settings.BROADSHEET_SITE_URL
        host = urlsplit(site_url).hostname or "localhost"
        with override_settings(ALLOWED_HOSTS=[host], BROADSHEET_PAGE_CACHE=False):
            # Workers fork first: a copy of the manifest would only swell each one.
            renderer = self._renderer(site_url)
            try:
                self.old = Manifest.read(self.target / MANIFEST)
                # Sharing the tables lets a reused page keep its entry as it is.
                self.new = Manifest(
                    started_ns,
                    self.old.urls,
                    self.old.surfaces,
                    build=build_fingerprint(),
                )
                changed = self._changed_surfaces()
                self._render_missing_fragments(renderer)
                if changed is None or not self._rerender_only(renderer, changed):
                    self._reach(SEEDS)
                    self._crawl(renderer, changed)
                    self._drop_unreached()
            finally:
                renderer.close()
            PageRenderer(self.target, site_url).export_not_found_page()
        self._copy_assets()
        self._delete_vanished()
        self.new.complete = not self.report.dangling
        self.new.write(self.target / MANIFEST, self.reached)
        cache.prune_journal()
        if self.report.dangling:
            raise ExportError(
                "Dangling internal links:\n" + "\n".join(sorted(self.report.dangling))
            )
        return self.report

    def _render_missing_fragments(self, renderer: InProcess | WorkerPool) -> None:
        """Render, in batches across the workers, the fragments a change deleted
        (an author's bio, a tag's name, the site's name: thousands of articles at
        once), before the pages that show them: rendered by their pages, one at a
        time, they cost four times as much (web.fragments.render_missing)."""
        ids = fragments.missing_live_ids()
        if ids:
            self.notice(f"Rendering the page fragments of {len(ids)} articles...")
            batches = [
                ids[start : start + FRAGMENT_BATCH]
                for start in range(0, len(ids), FRAGMENT_BATCH)
            ]
            renderer.render_fragments(batches)
            self.report.fragments = len(ids)

    def _renderer(self, site_url: str) -> InProcess | WorkerPool:
        if self.jobs == 1:
            return InProcess(PageRenderer(self.target, site_url))
        return WorkerPool(self.jobs, self.target, site_url)

    def _crawl(
        self, renderer: InProcess | WorkerPool, changed: set[str] | None
    ) -> None:
        """Hand out the frontier in batches until no page is left or rendering."""
        while self.frontier or renderer.busy:
            batch: list[tuple[str, str | None]] = []
            size = max(1, min(BATCH, len(self.frontier) // self.jobs))
            while self.frontier and renderer.has_room:
                number = self.frontier.pop()
                if number in self.new.pages:  # rendered by _rerender_only
                    self._reach_ids(map(int, self.new.pages[number][2].split()))
                    continue
                if self._reuse(number, changed):
                    continue  # its links are on the frontier already
                batch.append(self._dispatch(number))
                if len(batch) == size:
                    renderer.submit(batch)
                    batch = []
            if batch:
                renderer.submit(batch)
            for result in renderer.finished():
                self._record(result)

    def _rerender_only(
        self, renderer: InProcess | WorkerPool, changed: set[str]
    ) -> bool:
        """Re-render just the pages showing a changed surface (and those showing
        none); when each links where it did last run, the site's set of pages is
        as it was and every other page is kept without walking half a million
        links. Returns False when the crawl must walk the site (its first run, a
        run that failed, or links that changed): it then skips the pages done here.

        Files are trusted to be as the last run left them: one deleted by hand
        comes back when its page changes or a deploy re-renders every page.
        """
        if not self.old.complete:
            return False
        stale = [
            number
            for number, entry in self.old.pages.items()
            if shows_a_change(entry, changed)
        ]
        links_before = {number: self.old.pages[number][2] for number in stale}
        for result in self._render(renderer, stale):
            if result.status != 200:  # gone (withdrawn): dangling only if linked,
                result = result._replace(problems=())  # which the crawl will tell
            self._record(result)
        if any(
            self.new.pages.get(number, ("", "", None))[2] != links
            for number, links in links_before.items()
        ):
            # The walk decides what is reached: a page rendered here may no longer be.
            self.reached.clear()
            self.frontier.clear()
            return False
        for number in self.old.pages:
            self.progress(self.new.urls.names[number])
        self.report.reused += len(self.old.pages)
        self.new.pages.update(self.old.pages)
        self.old.pages.clear()  # nothing vanished
        self.reached = set(self.new.pages)
        self.frontier.clear()
        return True

    def _render(
        self, renderer: InProcess | WorkerPool, numbers: list[int]
    ) -> Iterator[PageResult]:
        """Results of rendering these pages, in batches, as they finish."""
        waiting = [self._dispatch(number) for number in numbers]
        size = min(BATCH, -(-len(waiting) // self.jobs))  # a dozen pages: all workers
        while waiting or renderer.busy:
            while waiting and renderer.has_room:
                renderer.submit(waiting[:size])
                del waiting[:size]
            yield from renderer.finished()

    def _reach(self, urls: Iterable[str]) -> None:
        self._reach_ids(map(self.new.urls.id, urls))

    def _reach_ids(self, numbers: Iterable[int]) -> None:
        # Set operations: a re-run walks half a million links of reused pages.
        new = set(numbers)
        new -= self.reached
        self.reached |= new
        self.frontier.extend(sorted(new))  # sorted: the same crawl on every run

    def _reuse(self, number: int, changed: set[str] | None) -> bool:
        """Keep last run's page when no surface it shows changed since."""
        entry = self.old.pages.get(number)
        if (
            changed is None
            or entry is None
            or shows_a_change(entry, changed)
            or not os.path.exists(self.root + self.old.file(number))
        ):
            return False
        del self.old.pages[number]  # what stays in old.pages at the end has vanished
        self.new.pages[number] = entry
        self.progress(self.new.urls.names[number])
        self.report.reused += 1
        # Both runs share one URL table, so last run's link ids stand as they are.
        self._reach_ids(map(int, entry[2].split()))
        return True

    def _dispatch(self, number: int) -> tuple[str, str | None]:
        """The task for one URL: its path and the hash its file had last time."""
        url = self.new.urls.names[number]
        if number not in self.old.pages:
            return url, None
        self.replaced[number] = self.old.file(number)
        return url, self.old.pages.pop(number)[1]

    def _record(self, result: PageResult) -> None:
        self.progress(result.url)
        self.report.links_checked += result.links_checked
        self.report.dangling.extend(result.problems)
        number = self.new.urls.ids[result.url]
        previous_file = self.replaced.pop(number, None)
        if result.status != 200:
            if previous_file is not None:  # the page is gone: so is its file
                self._delete(previous_file)
            return
        if result.written:
            self.report.written += 1
        else:
            self.report.unchanged += 1
        self.new.add(
            result.url, result.file, result.hash, result.links, result.surfaces
        )
        self._reach(result.links)

    def _changed_surfaces(self) -> set[str] | None:
        """Ids of surfaces changed since the last run; None: every page may have."""
        if self.old.started_ns is None or self.old.build != self.new.build:
            return None  # a first run, or a deploy: every page may differ
        changed = set(
            SurfaceChange.objects.filter(changed_ns__gte=self.old.started_ns)
            .values_list("surface", flat=True)
            .distinct()
        )
        if EVERYTHING in changed:
            return None
        known = self.old.surfaces.ids
        # As the manifest writes them: each entry's surfaces are an id string.
        return {str(known[name]) for name in changed if name in known}

    def _copy_assets(self) -> None:
        """Copy static and media files that are new or differ in size or time."""
        roots = [(settings.STATIC_ROOT, "static"), (settings.MEDIA_ROOT, "media")]
        for source, prefix in roots:
            if Path(source).is_dir():
                shutil.copytree(
                    source,
                    self.target / prefix,
                    dirs_exist_ok=True,
                    copy_function=copy_if_changed,
                )

    def _drop_unreached(self) -> None:
        """Delete pages _rerender_only rendered that the walk no longer reached
        (an author page once linked only from a withdrawn article)."""
        for number in [n for n in self.new.pages if n not in self.reached]:
            self._delete(self.new.file(number))
            del self.new.pages[number]

    def _delete_vanished(self) -> None:
        for number in list(self.old.pages):
            self._delete(self.old.file(number))

    def _delete(self, file: str) -> None:
        (self.target / file).unlink(missing_ok=True)
        self.report.deleted += 1


def shows_a_change(entry: Entry, changed: set[str]) -> bool:
    """Whether last run's page shows a changed surface, or none (the sitemap index,
    re-rendered on every run). Ids stay strings: a re-run asks 46,000 pages."""
    return not entry[3] or not changed.isdisjoint(entry[3].split())


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading a manifest makes some 100,000
    lists, and the collections they set off (a third of the read) free nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_fingerprint() -> str:
    """Identify what renders pages besides the content: Broadsheet's code and
    templates, Django's version, the static files' fingerprints, the site address.

    Surfaces track content; a deploy changing any of these re-renders every page.
    """
    digest = hashlib.blake2b(digest_size=12)
    package = Path(broadsheet.__file__).parent
    sources = [path for path in package.rglob("*") if path.suffix in SOURCE_SUFFIXES]
    for path in sorted(sources):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    static_manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if static_manifest.exists():
        digest.update(static_manifest.read_bytes())
    digest.update(f"{django.get_version()} {settings.BROADSHEET_SITE_URL}".encode())
    return digest.hexdigest()


SOURCE_SUFFIXES = {".py", ".html", ".xml", ".txt", ".csl", ".json"}


def write_array(file: TextIO, items: Iterable[object], chunk: int = 2000) -> None:
    """Write a JSON array a slice at a time: one string of it all would weigh MBs."""
    file.write("[")
    items = iter(items)
    separator = ""
    while part := list(islice(items, chunk)):
        file.write(separator + json.dumps(part, separators=(",", ":"))[1:-1])
        separator = ","
    file.write("]")


def copy_if_changed(source: str, destination: str) -> str:
    """shutil.copy2, skipped when the copy has the source's size and mtime."""
    source_stat = os.stat(source)
    try:
        copy_stat = os.stat(destination)
    except FileNotFoundError:
        pass
    else:
        if (copy_stat.st_size, copy_stat.st_mtime_ns) == (
            source_stat.st_size,
            source_stat.st_mtime_ns,
        ):
            return destination
    temporary = destination + ".tmp"
    shutil.copy2(source, temporary)
    os.replace(temporary, destination)  # no half-copied asset either
    return destination


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
