"""Static export: the public site written to files at identical URLs.

Like Pelican's Writer, the pages are the very responses the server gives, produced
by Django's own request handler (export.pages). The export crawls from the
home page, the sitemap and the feeds, follows every internal link, and fails when
one does not resolve, so a dangling link can never be published. A manifest
remembers each page's surfaces (see publishing.surfaces), links and content hash: a
re-run re-renders only pages whose surfaces changed (pagecache.models.SurfaceChange
journals every invalidation; see export.manifest) and rewrites only files whose
bytes differ.

This process keeps the crawl frontier and the manifest; worker processes (one per
core by default) render, write and report back a few strings per page, so neither
side ever holds more than one page's body.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.conf import settings
from django.test.utils import override_settings

import broadsheet
from broadsheet.export import search_index
from broadsheet.export.manifest import MANIFEST, Manifest, shows_a_change
from broadsheet.export.pages import PageRenderer, PageResult
from broadsheet.export.pool import InProcess, WorkerPool
from broadsheet.pagecache import store
from broadsheet.pagecache.models import SurfaceChange
from broadsheet.publishing.surfaces import EVERYTHING
from broadsheet.web import fragments

__all__ = ["ExportError", "ExportReport", "StaticExport"]

SEEDS = [
    "/",
    "/sitemap.xml",
    "/feed/",
    "/feed/atom/",
    "/most-read/",
    "/archive/",
    "/categories/",
    "/tags/",
    "/sources/",
    "/robots.txt",
    "/favicon.ico",  # the icons: web.icon_views
    "/apple-touch-icon.png",
    "/site.webmanifest",
    "/icon-192.png",  # named only in the manifest's JSON, which the crawl never reads
    "/icon-512.png",
]
BATCH = 16  # URLs per task: enough to amortise the hop, few enough to balance
FRAGMENT_BATCH = 100  # articles per fragment task: one query per relation each


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
    search_files: int = 0
    dangling: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "article fragments rendered first": self.fragments,
            "files written": self.written,
            "unchanged": self.unchanged,
            "pages reused without rendering": self.reused,
            "files deleted": self.deleted,
            "search index files written": self.search_files,
            "internal links checked": self.links_checked,
        }


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
                search = self._start_search_index(changed)
                self._render_missing_fragments(renderer)
                if changed is None or not self._rerender_only(renderer, changed):
                    self._reach(SEEDS)
                    self._crawl(renderer, changed)
                    self._drop_unreached()
                self.report.search_files = search()
            finally:
                renderer.close()
            PageRenderer(self.target, site_url).export_not_found_page()
        self._copy_assets()
        self._delete_vanished()
        self.new.complete = not self.report.dangling
        self.new.write(self.target / MANIFEST, self.reached)
        store.prune_journal()
        if self.report.dangling:
            raise ExportError(
                "Dangling internal links:\n" + "\n".join(sorted(self.report.dangling))
            )
        return self.report

    def _start_search_index(self, changed: set[str] | None) -> Callable[[], int]:
        """Start the exported site's search (export.search_index.start): its index
        only when a surface changed since the last run wrote it."""
        fresh = changed == set() and (self.target / "search" / "index.json").exists()
        if not fresh:
            self.notice("Writing the search index...")
        options = {"reuse": changed is not None, "index": not fresh}
        return search_index.start(self.target, options, in_child=self.jobs > 1)

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
                    self._reach_ids(map(int, self.new.pages[number].links.split()))
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
        links_before = {number: self.old.pages[number].links for number in stale}
        for result in self._render(renderer, stale):
            if result.status != 200:  # gone (withdrawn): dangling only if linked,
                result = result._replace(problems=())  # which the crawl will tell
            self._record(result)
        if any(
            getattr(self.new.pages.get(number), "links", None) != links
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
        self._reach_ids(map(int, entry.links.split()))
        return True

    def _dispatch(self, number: int) -> tuple[str, str | None]:
        """The task for one URL: its path and the hash its file had last time."""
        url = self.new.urls.names[number]
        if number not in self.old.pages:
            return url, None
        self.replaced[number] = self.old.file(number)
        return url, self.old.pages.pop(number).digest

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
