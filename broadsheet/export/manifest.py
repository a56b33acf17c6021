"""The export's manifest: each page's file, content hash, links and surfaces.

A re-run reads it to tell which pages a change can have touched (web.models.
SurfaceChange journals every invalidation since the last run) and which files are
already as they should be. It is written atomically, a slice at a time, and keeps
URLs and surfaces as numbered tables so 100,000 pages weigh a few tens of MB.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import NamedTuple, TextIO

from broadsheet.export.pages import NEVER_EXPORTED, file_for

MANIFEST = ".broadsheet-export.json"
MANIFEST_VERSION = 2


class Entry(NamedTuple):
    """One page of a run. Ids are space-separated indices into the manifest's URL
    and surface tables: short strings instead of lists keep the manifest small.
    Written to JSON as a list of four strings."""

    file: str  # "" when it is file_for(url, "text/html")
    digest: str  # sha256 of the body
    links: str  # URL ids of the internal pages it links to
    surfaces: str  # surface ids it shows; "" means re-render on every run


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
            pages = {n: Entry(*entry) for n, entry in enumerate(data["pages"]) if entry}
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
        self.pages[number] = Entry(
            "" if usual else file,
            digest,
            self.urls.encode(links),
            self.surfaces.encode(surfaces),
        )

    def file(self, number: int) -> str:
        return self.pages[number].file or file_for(self.urls.names[number], "text/html")

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
            pages[self.urls.ids[old[number]]] = Entry(
                file, digest, renumbered, surfaces
            )
        self.pages = pages


def shows_a_change(entry: Entry, changed: set[str]) -> bool:
    """Whether last run's page shows a changed surface, or none (the sitemap index,
    re-rendered on every run). Ids stay strings: a re-run asks 46,000 pages."""
    return not entry.surfaces or not changed.isdisjoint(entry.surfaces.split())


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


def write_array(file: TextIO, items: Iterable[object], chunk: int = 2000) -> None:
    """Write a JSON array a slice at a time: one string of it all would weigh MBs."""
    file.write("[")
    items = iter(items)
    separator = ""
    while part := list(islice(items, chunk)):
        file.write(separator + json.dumps(part, separators=(",", ":"))[1:-1])
        separator = ","
    file.write("]")
