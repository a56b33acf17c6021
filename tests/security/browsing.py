"""Load pages in Chromium with hooks that see any script a vector runs.

Before any page script, every frame gets `__xss()` and replacements for
`alert`, `confirm`, `prompt`, `print` and `window.open` that record their call
(child frames report to the top one). Dialogs that still open are recorded and
dismissed; requests for anything but images to another site are refused and
recorded. The served HTML may hold no inline style, event handler or script of
its own in the body. After the load, each element of `<main>` gets hover and
focus events, then the document is searched for what may not be there: an
`on*` attribute, a link, form, frame or refresh with a script scheme (read as
the browser resolves it, and as written once entities, case and blanks are set
aside), a `<script>` other than the site's own, embedded frames and objects,
`<base>`, and the markers the page should show but does not.

The context bypasses the site's Content-Security-Policy, so that what is proven
is the sanitiser and the templates' escaping, not the policy
(tests/browser/test_content_security_policy.py checks the policy itself).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

from tests.browser.pages import TOOLING

_HERE = Path(__file__).parent

HOOKS = (_HERE / "hooks.js").read_text()

# What each loaded page is searched for: called with the texts it must show.
SCAN = (_HERE / "scan.js").read_text()

STIR = (_HERE / "stir.js").read_text()


@dataclass
class Findings:
    """Everything wrong seen on the pages of one input path."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # console errors, for context

    def add(self, where: str, what: Iterable[str]) -> None:
        self.problems += [f"{where}: {item}" for item in what]

    def report(self) -> str:
        shown = "\n".join(self.problems[:400])
        more = len(self.problems) - 60
        tail = f"\n... and {more} more" if more > 0 else ""
        console = "\n".join(self.notes[:10])
        return f"{shown}{tail}\n--- console ---\n{console}"


class Inspector:
    """One Chromium context with the hooks, loading pages and counting them."""

    def __init__(self, browser, base_url: str, *, storage_state=None) -> None:
        self.base_url = base_url
        self.context = browser.new_context(storage_state=storage_state, **TOOLING)
        self.context.add_init_script(HOOKS)
        # Nothing leaves the site: a vector fetching from elsewhere is refused.
        self.context.route(
            re.compile(rf"^(?!{re.escape(base_url)}/)[a-z]+:"), self._refuse
        )
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.elsewhere: list[str] = []
        self.console: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(str(error)))
        self.pages_loaded = 0
        self.seconds = 0.0

    def _refuse(self, route) -> None:
        # The allow-list keeps web images; anything else from elsewhere is news.
        if route.request.resource_type not in ("image", "media"):
            kind = route.request.resource_type
            self.elsewhere.append(f"{kind} {route.request.url[:160]}")
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text[:200]}")

    def close(self) -> None:
        self.context.close()

    def check(
        self,
        path: str,
        markers: Iterable[str],
        findings: Findings,
        *,
        wait_for: str | None = None,
    ) -> None:
        """Load `path`, stir its elements, and add to `findings` what is wrong;
        `wait_for`: a selector the page's own script fills, if it is there."""
        started = time.monotonic()
        self.dialogs.clear()
        self.elsewhere.clear()
        self.console.clear()
        url = self.base_url + path
        response = self.page.goto(url, wait_until="load")
        self.pages_loaded += 1
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            findings.add(path, [f"answered {status}"])
            return
        findings.add(path, as_served(response.text()))
        if wait_for and self.page.locator("script[src*='editor']").count():
            self.page.wait_for_selector(wait_for, timeout=15_000)
        self.page.evaluate(STIR)
        self.page.wait_for_load_state("load")
        self._judge(path, self.page.evaluate(SCAN, list(markers)), findings)
        if self.page.url.split("#")[0] != url.split("#")[0]:
            findings.add(path, [f"navigated to {self.page.url[:160]}"])
        self.seconds += time.monotonic() - started

    def check_html(self, label: str, markup: str, markers, findings: Findings) -> None:
        """Load `markup` as a document of the site (the editor's preview pane)."""
        started = time.monotonic()
        self.dialogs.clear()
        self.elsewhere.clear()
        self.page.goto(self.base_url + "/robots.txt")  # on the site, as the pane is
        document = f"<!doctype html><body><main>{markup}</main></body>"
        findings.add(label, as_served(document))
        self.page.set_content(document)
        self.pages_loaded += 1
        self.page.evaluate(STIR)
        self._judge(label, self.page.evaluate(SCAN, list(markers)), findings)
        self.seconds += time.monotonic() - started

    def _judge(self, where: str, scan: dict, findings: Findings) -> None:
        findings.add(where, [f"script ran: {hit}" for hit in scan["hits"]])
        findings.add(where, self.dialogs)
        findings.add(where, [f"fetched from elsewhere: {u}" for u in self.elsewhere])
        findings.add(where, scan["found"])
        findings.add(where, [f"text missing: {m!r}" for m in scan["missing"]])
        findings.notes += [f"{where}: {line}" for line in self.console]


# A start tag of served HTML and its attributes: text and attribute values come
# escaped (no "<" in text, no ">" or quote inside a quoted value).
_START_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(
    r"""([^\s"'=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?"""
)


def as_served(markup: str) -> list[str]:
    """What the page's HTML holds, before any script of ours changed it, that it
    may not: an inline style or an event handler in the body, or a script in it
    that is not one of the site's files."""
    body = markup[markup.find("<body") :] if "<body" in markup else markup
    found = []
    for tag in _START_TAG.finditer(body):
        attributes = {
            a[1].lower(): a[2] or a[3] or a[4] or ""
            for a in _ATTRIBUTE.finditer(tag[2])
        }
        for name in attributes:
            if name == "style" or name.startswith("on"):
                found.append(f"served with {name}=: {tag[0][:160]}")
        if tag[1].lower() == "script" and not attributes.get("src", "").startswith(
            "/static/"
        ):
            found.append(f"served with a script: {tag[0][:160]}")
    return found


_BLANKS = re.compile(r"[\x00-\x20\x7f-\xa0\u2028\u2029]")
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|livescript|mocha|data):")
_SAFE_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp|avif)[;,]")
LINK_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "srcset",
)


def is_script_url(url: str) -> bool:
    """Whether `url` runs script when followed: its scheme read as browsers read
    it, entities decoded and blanks, controls and case set aside."""
    bare = _BLANKS.sub("", html.unescape(html.unescape(url))).lower()
    return bool(_SCRIPT_SCHEME.match(bare)) and not _SAFE_DATA.match(bare)


def script_links(markup: str) -> list[str]:
    """The links, sources and form actions in `markup` with a script scheme."""
    found = []
    for element in BeautifulSoup(markup, "html.parser").find_all(True):
        for name in LINK_ATTRIBUTES:
            value = str(element.get(name, ""))
            parts = value.split(",") if name == "srcset" else [value]
            if any(is_script_url(p.strip().split(" ")[0]) for p in parts if p.strip()):
                found.append(f"script link {name}=: {str(element)[:160]}")
    return found
