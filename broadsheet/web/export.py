"""Static export: the public site written to files at identical URLs.

Like Pelican's Writer, the pages are the very responses the server gives, produced
through Django's test client. The export crawls from the home page, the sitemap and
the feeds, follows every internal link, and fails when one does not resolve, so a
dangling link can never be published. A manifest remembers each page's surfaces
(see publishing.surfaces) and content hash: a re-run re-renders only pages whose
surfaces changed (web.models.SurfaceChange journals every invalidation) and rewrites
only files whose bytes differ.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

from broadsheet.publishing.surfaces import EVERYTHING
from broadsheet.web.models import SurfaceChange

MANIFEST = ".broadsheet-export.json"
SEEDS = ["/", "/sitemap.xml", "/feed/", "/feed/atom/", "/most-read/", "/archive/"]
LINK = re.compile(rb"""(?:href|src)=["'](/[^"'#?]*)(?:\?[^"'#]*)?(#[^"']*)?["']""")
SITEMAP_LOC = re.compile(rb"<loc>https?://[^/<]+(/[^<]*)</loc>")
ID = re.compile(rb"""\bid=["']([^"']+)["']""")
NEVER_EXPORTED = ("/admin/", "/preview/", "/static/", "/media/")


class ExportError(Exception):
    """Raised when the export finds dangling links or pages that fail."""


@dataclass
class ExportReport:
    written: int = 0
    unchanged: int = 0
    reused: int = 0
    deleted: int = 0
    links_checked: int = 0
    dangling: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "files written": self.written,
            "unchanged": self.unchanged,
            "pages reused without rendering": self.reused,
            "files deleted": self.deleted,
            "internal links checked": self.links_checked,
        }


def file_for(url: str, content_type: str) -> str:
    """Map a URL to its file: /a/b/ -> a/b/index.html (index.xml for feeds)."""
    path = url.lstrip("/")
    if url.endswith("/"):
        index = "index.xml" if "xml" in content_type else "index.html"
        return path + index
    return path


class StaticExport:
    """One run of the export into `target`; call run()."""

    def __init__(self, target: Path, *, progress: Callable[[str], None] | None = None):
        self.target = target
        self.progress = progress or (lambda url: None)
        manifest = self._read_manifest()
        self.old: dict[str, dict] = manifest.get("pages", {})
        self.previous_run_ns: int | None = manifest.get("started_ns")
        self.started_ns = time.time_ns()
        self.new: dict[str, dict] = {}
        self.report = ExportReport()
        site = urlsplit(settings.BROADSHEET_SITE_URL)
        self.host = site.hostname or "localhost"
        self.client = Client(HTTP_HOST=site.netloc, secure=site.scheme == "https")

    def run(self) -> ExportReport:
        """Export every reachable page, copy assets, check links; raise ExportError."""
        self.target.mkdir(parents=True, exist_ok=True)
        fresh = self._fresh_urls()
        with override_settings(ALLOWED_HOSTS=[self.host], BROADSHEET_PAGE_CACHE=False):
            queue, seen = list(SEEDS), set(SEEDS)
            while queue:
                url = queue.pop()
                links = self._export_page(url, reuse=url in fresh)
                for link in links:
                    if link not in seen and not link.startswith(NEVER_EXPORTED):
                        seen.add(link)
                        queue.append(link)
        self._copy_assets()
        self._delete_vanished()
        self._write_manifest()
        if self.report.dangling:
            raise ExportError(
                "Dangling internal links:\n" + "\n".join(sorted(self.report.dangling))
            )
        return self.report

    def _export_page(self, url: str, *, reuse: bool) -> list[str]:
        self.progress(url)
        if reuse:
            self.new[url] = self.old[url]
            self.report.reused += 1
            return self.old[url]["links"]
        response = self.client.get(url)
        if response.status_code != 200:
            self.report.dangling.append(f"{url} (HTTP {response.status_code})")
            return []
        body = response.content
        name = file_for(url, response.get("Content-Type", ""))
        links = self._links(url, body)
        self.new[url] = {
            "file": name,
            "hash": hashlib.sha256(body).hexdigest(),
            "links": links,
            "surfaces": sorted(getattr(response, "surfaces", ())) or None,
        }
        self._write(url, name, body)
        return links

    def _links(self, url: str, body: bytes) -> list[str]:
        found = {m.group(1).decode() for m in SITEMAP_LOC.finditer(body)}
        ids = {m.group(1).decode() for m in ID.finditer(body)}
        for match in LINK.finditer(body):
            path, fragment = match.group(1).decode(), match.group(2)
            self.report.links_checked += 1
            if path.startswith(("/static/", "/media/")):
                self._check_asset(url, path)
            else:
                found.add(path)
            if fragment and path == url and fragment[1:].decode() not in ids:
                self.report.dangling.append(
                    f"{url} links to missing {fragment.decode()}"
                )
        return sorted(found)

    def _check_asset(self, url: str, path: str) -> None:
        root, prefix = (
            (settings.STATIC_ROOT, settings.STATIC_URL)
            if path.startswith("/static/")
            else (settings.MEDIA_ROOT, settings.MEDIA_URL)
        )
        if not (Path(root) / path.removeprefix(prefix)).is_file():
            self.report.dangling.append(f"{url} links to missing file {path}")

    def _fresh_urls(self) -> set[str]:
        """URLs showing no surface that changed since the last run started."""
        if self.previous_run_ns is None:
            return set()
        changed = set(
            SurfaceChange.objects.filter(changed_ns__gte=self.previous_run_ns)
            .values_list("surface", flat=True)
            .distinct()
        )
        if EVERYTHING in changed:
            return set()
        return {
            url
            for url, entry in self.old.items()
            if entry.get("surfaces")  # feeds and sitemaps are always re-rendered
            and changed.isdisjoint(entry["surfaces"])
            and (self.target / entry["file"]).exists()
        }

    def _write(self, url: str, name: str, body: bytes) -> None:
        path = self.target / name
        previous = self.old.get(url, {})
        if path.exists() and previous.get("hash") == self.new[url]["hash"]:
            self.report.unchanged += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(body)
        temporary.replace(path)  # readers of the export never see half a file
        self.report.written += 1

    def _copy_assets(self) -> None:
        roots = [(settings.STATIC_ROOT, "static"), (settings.MEDIA_ROOT, "media")]
        for source, prefix in roots:
            if Path(source).is_dir():
                shutil.copytree(source, self.target / prefix, dirs_exist_ok=True)

    def _delete_vanished(self) -> None:
        for url in set(self.old) - set(self.new):
            (self.target / self.old[url]["file"]).unlink(missing_ok=True)
            self.report.deleted += 1

    def _read_manifest(self) -> dict:
        path = self.target / MANIFEST
        return json.loads(path.read_text()) if path.exists() else {}

    def _write_manifest(self) -> None:
        manifest = {"started_ns": self.started_ns, "pages": self.new}
        (self.target / MANIFEST).write_text(json.dumps(manifest, sort_keys=True))
