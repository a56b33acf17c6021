"""Page layouts rendered once per site state, with slots filled on each request.

The site's header and footer (settings, footer pages, navigation, fingerprinted
asset URLs) change rarely, but rendering them through Django's template engine
cost about half of an uncached article page. A layout is the page template
rendered with markers in place of the per-request values, split at the markers,
and kept per worker for as long as the site's settings row and footer pages read
the same.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from django.http import HttpRequest
from django.template import loader
from django.utils.safestring import mark_safe

from broadsheet.content.models import SiteSettings
from broadsheet.web import context_processors

# A private-use character and a token drawn per process: site settings may hold
# the character (a pasted name), never the token; the values filled in are never
# scanned for either.
_MARK = f"\ue000{secrets.token_hex(8)}"
_SLOT = re.compile(f"{_MARK}(\\w+){_MARK}")
_MAX_LAYOUTS = 32

_layouts: dict[tuple, Layout] = {}


class Layout:
    """A rendered page split into fixed text and named slots."""

    def __init__(self, html: str, site: SiteSettings) -> None:
        self.site = site  # the settings it was rendered with, for the slots' values
        pieces = _SLOT.split(html)
        self.texts = [text.encode() for text in pieces[0::2]]
        self.slots = pieces[1::2]

    def fill(self, values: dict[str, bytes]) -> bytes:
        """Return the page with each slot replaced by its (already escaped) value.

        Bytes in, bytes out: the fixed text is encoded once, the slots come from the
        database as UTF-8, and the response goes out without encoding 80 KB again.
        """
        out = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:], strict=True):
            out += [values[slot], text]
        return b"".join(out)


def slot(name: str) -> str:
    """The marker a template renders where the slot `name` goes."""
    return mark_safe(f"{_MARK}{name}{_MARK}")  # noqa: S308 - no markup inside


def layout(
    request: HttpRequest, template: str, context: dict, *, variant: Iterable = ()
) -> Layout:
    """Return `template` rendered with `context` (holding slot() markers) for the
    current site state; `variant` names whatever else changes the template's
    output (e.g. whether a block is shown)."""
    rows = context_processors.site_rows(request)
    key = (template, tuple(variant), rows)
    found = _layouts.get(key)
    if found is None:
        if len(_layouts) >= _MAX_LAYOUTS:
            _layouts.clear()
        site = context_processors.site_context(rows)
        found = _layouts[key] = Layout(
            loader.render_to_string(template, {**site, **context}), site["site"]
        )
    return found
