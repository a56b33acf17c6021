"""WordPress shortcodes: found in one linear pass, the known ones turned into HTML.

WordPress finds shortcodes with a backtracking regular expression built from the
names its plugins registered. An export does not say which names those were, so
anything shaped like `[name attr="value"]`, `[name/]`, `[name]...[/name]` or a
dashed name (`[contact-form-7 id="1"]`) is taken as a shortcode; a bare
`[word]` or `[two words]` with none of that is more likely prose ("[sic]") and
is kept as text, listed for the editor to check. The scanner looks at each
character a bounded number of times (every `[` is tried against the nearest
`]` before the next `[`), so no input makes it slow.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

# A marker left where an unknown shortcode was, found again in the Markdown to
# give the report its line; private-use characters, which no text holds.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
NOTE_SHORTCODES = frozenset({"ref", "efn_note", "footnote"})
MEDIA_LINK_ATTRIBUTES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "webm")
_NAME = re.compile(r"[A-Za-z][\w-]*")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
_LONGEST_TAG = 2000  # no real shortcode's attributes run longer than this


@dataclass(frozen=True)
class Tag:
    """One `[name ...]` or `[/name]` as written."""

    name: str
    attrs: dict[str, str]
    raw: str
    closing: bool
    self_closing: bool
    has_assignment: bool

    @property
    def looks_like_shortcode(self) -> bool:
        """Whether an unregistered name is still a shortcode, not bracketed prose."""
        return self.has_assignment or self.self_closing or "-" in self.name


@dataclass
class Expansion:
    """The HTML with shortcodes replaced, and what the replacing found."""

    html: str = ""
    notes: list[str] = field(default_factory=list)  # HTML of each shortcode note
    removed: list[str] = field(default_factory=list)  # raw tag, by marker number
    kept: list[str] = field(default_factory=list)  # bracketed prose left as text


def expand_shortcodes(text: str) -> Expansion:
    """Replace the shortcodes in post HTML; notes become `<sup data-wp-note=N>`."""
    expansion = Expansion()
    if "[" not in text:
        expansion.html = text
        return expansion
    tokens = _tokens(text)
    closers: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        if isinstance(token, Tag) and token.closing:
            closers.setdefault(token.name, []).append(index)
    expansion.html = _Expander(tokens, closers, expansion).run(0, len(tokens))
    return expansion


def _tokens(text: str) -> list[str | Tag]:
    out: list[str | Tag] = []
    plain_from = position = 0
    end = len(text)
    while (opening := text.find("[", position)) != -1:
        following = text.find("[", opening + 1)
        limit = end if following == -1 else following
        closing = text.find("]", opening + 1, min(limit, opening + _LONGEST_TAG))
        if closing == -1:
            if following == -1:
                break
            position = following
            continue
        tag = _parse_tag(text[opening : closing + 1])
        if tag is None:
            position = opening + 1
            continue
        escaped = text[opening - 1 : opening] == "[" and text[closing + 1 :][:1] == "]"
        if escaped:  # [[name]] is WordPress's way to show "[name]" as text
            out.append(text[plain_from : opening - 1])
            out.append(html.escape(tag.raw, quote=False))
            plain_from = position = closing + 2
            continue
        out.append(text[plain_from:opening])
        out.append(tag)
        plain_from = position = closing + 1
    out.append(text[plain_from:])
    return out


def _parse_tag(raw: str) -> Tag | None:
    inner = raw[1:-1]
    closing = inner.startswith("/")
    body = inner[1:] if closing else inner
    name = _NAME.match(body)
    if name is None:
        return None
    rest = body[name.end() :]
    if rest and not (rest[0].isspace() or rest == "/"):
        return None
    self_closing = rest.rstrip().endswith("/")
    attrs: dict[str, str] = {}
    assignment = False
    for index, match in enumerate(_ATTRIBUTE.finditer(rest.rstrip().rstrip("/"))):
        key, value = _attribute(match)
        assignment = assignment or key is not None
        attrs[key if key is not None else str(index)] = value
    if closing and (attrs or self_closing):
        return None
    return Tag(name[0], attrs, raw, closing, self_closing, assignment)


def _attribute(match: re.Match[str]) -> tuple[str | None, str]:
    groups = match.groups()
    for at in (0, 2, 4):
        if groups[at] is not None:
            return groups[at].lower(), html.unescape(groups[at + 1])
    return None, next(group for group in groups[6:] if group is not None)


class _Expander:
    def __init__(self, tokens, closers, expansion: Expansion) -> None:
        self.tokens = tokens
        self.closers = closers
        self.expansion = expansion
        self.known: dict[str, Callable[[Tag, str | None], str]] = {
            "caption": self.caption,
            "wp_caption": self.caption,
            "embed": self.embed,
            "audio": self.media_link,
            "video": self.media_link,
            "gallery": self.gallery,
            **{name: self.note for name in NOTE_SHORTCODES},
        }

    def run(self, start: int, stop: int) -> str:
        out: list[str] = []
        index = start
        while index < stop:
            token = self.tokens[index]
            if isinstance(token, str):
                out.append(token)
                index += 1
                continue
            closer = (
                None
                if token.closing or token.self_closing
                else self.closer(token, index, stop)
            )
            if closer is None:
                out.append(self.replace(token, None, closer=False))
                index += 1
            else:
                inner = self.run(index + 1, closer)
                out.append(self.replace(token, inner, closer=True))
                index = closer + 1
        return "".join(out)

    def closer(self, tag: Tag, index: int, stop: int) -> int | None:
        indices = self.closers.get(tag.name, [])
        at = bisect.bisect_right(indices, index)
        if at < len(indices) and indices[at] < stop:
            return indices[at]
        return None

    def replace(self, tag: Tag, inner: str | None, *, closer: bool) -> str:
        handler = self.known.get(tag.name.lower())
        if handler is not None and not tag.closing:
            return handler(tag, inner)
        if closer or tag.closing or tag.looks_like_shortcode:
            return self.remove(tag) + (inner or "")
        self.expansion.kept.append(tag.raw)
        return tag.raw

    def remove(self, tag: Tag) -> str:
        self.expansion.removed.append(tag.raw)
        return f"{MARK_OPEN}s{len(self.expansion.removed) - 1}{MARK_CLOSE}"

    def note(self, tag: Tag, inner: str | None) -> str:
        if inner is None:  # a lone [ref] has no text to be a note of
            return self.remove(tag)
        self.expansion.notes.append(inner)
        return f'<sup data-wp-note="{len(self.expansion.notes) - 1}"></sup>'

    def caption(self, tag: Tag, inner: str | None) -> str:
        media, text = _split_caption(inner or "")
        caption = tag.attrs.get("caption", text)
        if not media:
            return self.remove(tag) + (inner or "")
        figcaption = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
        return f"<figure>{media}{figcaption}</figure>"

    def embed(self, tag: Tag, inner: str | None) -> str:
        url = html.unescape((inner or "").strip()) or tag.attrs.get("src", "")
        return _link(url) or self.remove(tag) + (inner or "")

    def media_link(self, tag: Tag, inner: str | None) -> str:
        for name in MEDIA_LINK_ATTRIBUTES:
            if tag.attrs.get(name):
                return _link(tag.attrs[name]) or self.remove(tag)
        return self.remove(tag) + (inner or "")

    def gallery(self, tag: Tag, inner: str | None) -> str:
        # The images are looked up when converting (convert.py): ids, or none
        # for "the images attached to this post".
        ids = tag.attrs.get("ids") or tag.attrs.get("include") or ""
        wanted = ",".join(part.strip() for part in ids.split(",") if part.strip())
        return f'<div data-wp-gallery="{html.escape(wanted)}"></div>' + (inner or "")


def _link(url: str) -> str:
    if not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
        return ""
    shown = html.escape(url)
    return f'<p><a href="{shown}">{shown}</a></p>'


def _split_caption(inner: str) -> tuple[str, str]:
    """Split a [caption]'s content into its image (maybe linked) and its text."""
    body = inner.strip()
    image = body.find("<img")
    if image == -1:
        return "", body
    image_end = body.find(">", image)
    if image_end == -1:
        return "", body
    end = image_end + 1
    if body.startswith("<a"):
        link_end = body.find("</a>", end)
        if link_end != -1:
            end = link_end + len("</a>")
    return body[:end], body[end:].strip()
