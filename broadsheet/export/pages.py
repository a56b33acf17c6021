"""The rendering side of the static export: pages through Django, bytes to files.

A PageRenderer answers one URL the way the server would (Django's handler with every
middleware, no test-client instrumentation), writes the file when its bytes changed
and returns a small PageResult: the body never leaves the process that rendered it,
so the crawl in export.crawl stays lean however many pages the site has. The export
forks worker processes that each hold one PageRenderer (see start_worker and
render_batch), or uses one in its own process when running with a single job.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpResponseBase

from broadsheet.serving import direct
from broadsheet.web import snapshot

# An attribute's site-relative URL; _links keeps those of href and src. Matching
# the attribute names in the pattern made it six times slower to scan a page.
# `//host/x` is another site's address (protocol-relative), not a path of this one.
LINK = re.compile(rb"""=["'](/(?!/)[^"'#?]*)(?:\?[^"'#]*)?(#[^"']*)?["']""")
LINK_ATTRIBUTES = (b"href", b"src")
SITEMAP_LOC = re.compile(rb"<loc>https?://[^/<]+(/[^<]*)</loc>")
ID = re.compile(rb"""\bid=["']([^"']+)["']""")
ASSETS = ("/static/", "/media/")
# /search/ answers per query on the server; the export writes its own (search_index).
NEVER_EXPORTED = ("/admin/", "/preview/", "/search/", *ASSETS)
NOT_FOUND_FILE = "404.html"
NOT_FOUND_PROBE = "/.broadsheet/no-such-page/"  # no URL pattern can match a dot


class PageResult(NamedTuple):
    """What the crawl needs to know about one rendered URL (never its body)."""

    url: str
    status: int
    file: str = ""
    hash: str = ""
    links: tuple[str, ...] = ()  # internal pages to crawl, in page order, unique
    surfaces: tuple[str, ...] = ()  # empty: re-render on every run
    problems: tuple[str, ...] = ()  # dangling links found on the page
    links_checked: int = 0
    written: bool = False


def file_for(url: str, content_type: str) -> str:
    """Map a URL to its file: /a/b/ -> a/b/index.html (index.xml for feeds)."""
    path = url.lstrip("/")
    if url.endswith("/"):
        index = "index.xml" if "xml" in content_type else "index.html"
        return path + index
    return path


class PageRenderer:
    """Render URLs of the site through Django's handler and write them under target."""

    def __init__(self, target: Path, site_url: str) -> None:
        self.target = target
        self.root = os.path.join(target, "")
        self.handler = WSGIHandler()
        self.environ = direct.anonymous_environ(site_url)
        self.asset_exists: dict[str, bool] = {}  # /static/site.css is on every page
        self.made: set[str] = set()  # directories known to exist: a mkdir each is dear
        self.snapshot = snapshot.Snapshot()  # lists and lookups read once per renderer

    def export(self, url: str, previous_hash: str | None) -> PageResult:
        """Render `url`, write its file unless identical to `previous_hash`'s."""
        status, content_type, body, surfaces = self._get(url, self.snapshot)
        if status != 200:
            return PageResult(url, status, problems=(f"{url} (HTTP {status})",))
        name = file_for(url, content_type)
        digest = hashlib.sha256(body).hexdigest()
        links, problems, checked = self._links(url, body)
        written = self._write(name, body, unchanged=digest == previous_hash)
        return PageResult(
            url,
            status,
            file=name,
            hash=digest,
            links=links,
            surfaces=tuple(sorted(surfaces)),
            problems=problems,
            links_checked=checked,
            written=written,
        )

    def export_not_found_page(self) -> bool:
        """Write 404.html, the page static hosts show for a missing file."""
        status, _, body, _ = self._get(NOT_FOUND_PROBE)
        if status != 404:
            raise RuntimeError(f"{NOT_FOUND_PROBE} answered {status}, not 404")
        try:
            unchanged = Path(self.root + NOT_FOUND_FILE).read_bytes() == body
        except FileNotFoundError:
            unchanged = False
        return self._write(NOT_FOUND_FILE, body, unchanged=unchanged)

    def _get(
        self, url: str, held: snapshot.Snapshot | None = None
    ) -> tuple[int, str, bytes, set[str]]:
        """One GET as a WSGI server would make it, minus the socket; its views
        answer from `held` when given (web.snapshot)."""
        environ = dict(self.environ)
        if held is not None:
            snapshot.attach(environ, held)
        # WSGI carries the percent-decoded path as latin-1 text (as the test client).
        environ["PATH_INFO"] = unquote_to_bytes(url).decode("iso-8859-1")
        # The server's own way to a public page (serving.direct) when it has one, else
        # Django's handler; both return the response object, which keeps the
        # surfaces its view marked.
        direct_response = direct.render_response(WSGIRequest(environ))
        if direct_response is not None:
            body = direct_response.content
            surfaces = direct_response.surfaces
            return 200, direct_response.get("Content-Type", ""), body, surfaces
        response: HttpResponseBase = self.handler(environ, lambda *args: None)
        try:
            body = b"".join(response)
        finally:
            response.close()
        surfaces = getattr(response, "surfaces", None) or set()
        return response.status_code, response.get("Content-Type", ""), body, surfaces

    def _links(
        self, url: str, body: bytes
    ) -> tuple[tuple[str, ...], tuple[str, ...], int]:
        """Internal pages `body` links to, its dangling links, and links checked."""
        found: dict[str, None] = {}  # a dict keeps page order and drops repeats
        if b"<loc>" in body:  # only sitemaps: spare every page a second scan
            for match in SITEMAP_LOC.finditer(body):
                found[match.group(1).decode()] = None
        problems: list[str] = []
        ids: set[str] | None = None
        checked = 0
        for match in LINK.finditer(body):
            start = match.start()
            if not body.endswith(LINK_ATTRIBUTES, 0, start):
                continue
            checked += 1
            path, fragment = match.group(1).decode(), match.group(2)
            if path.startswith(ASSETS):
                if not self._asset_exists(path):
                    problems.append(f"{url} links to missing file {path}")
            else:
                found[path] = None
            if fragment and path == url:
                if ids is None:  # only pages linking into themselves need their ids
                    ids = {m.group(1).decode() for m in ID.finditer(body)}
                if fragment[1:].decode() not in ids:
                    problems.append(f"{url} links to missing {fragment.decode()}")
        links = tuple(link for link in found if not link.startswith(NEVER_EXPORTED))
        return links, tuple(problems), checked

    def _asset_exists(self, path: str) -> bool:
        if path not in self.asset_exists:
            root, prefix = (
                (settings.STATIC_ROOT, settings.STATIC_URL)
                if path.startswith("/static/")
                else (settings.MEDIA_ROOT, settings.MEDIA_URL)
            )
            file = Path(root) / path.removeprefix(prefix)
            self.asset_exists[path] = file.is_file()
        return self.asset_exists[path]

    def _write(self, name: str, body: bytes, *, unchanged: bool) -> bool:
        """Write the file atomically unless its bytes are already there."""
        path = self.root + name  # str: a Path per page costs more than the write
        if unchanged and os.path.exists(path):
            return False
        directory = name.rpartition("/")[0]
        if directory not in self.made:
            os.makedirs(self.root + directory, exist_ok=True)
            self.made.add(directory)
        temporary = path + ".tmp"
        with open(temporary, "wb") as file:
            file.write(body)
        os.replace(temporary, path)  # readers of the export never see half a file
        return True


# One renderer per worker process, made after the fork (see start_worker).
_renderer: PageRenderer | None = None


def start_worker(target: Path, site_url: str) -> None:
    """Pool initializer: build this process's renderer once, and warm it.

    Rendering the home page loads the URL resolver, the templates and layouts and
    opens the database while the export reads its manifest, instead of after: in a
    re-run of a dozen pages that start-up was most of the workers' time.
    """
    global _renderer
    _renderer = PageRenderer(target, site_url)
    _renderer._get("/")  # without the snapshot: a re-run may need no list at all


def render_batch(batch: list[tuple[str, str | None]]) -> list[PageResult]:
    """Pool task: export each (url, previous hash) of the batch in this worker."""
    assert _renderer is not None, "start_worker() runs first"
    return [_renderer.export(url, previous) for url, previous in batch]
