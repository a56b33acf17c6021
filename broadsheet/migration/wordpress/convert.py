"""WordPress post HTML and block markup to Broadsheet Markdown, notes included.

The order is WordPress's own: shortcodes, then (for classic-editor posts, which
keep paragraphs as blank lines) wpautop's paragraphs, then the HTML becomes
Markdown through markdownify (docs/decisions/0013-wordpress-conversion.md),
with converters of Broadsheet's own for notes, figures, tables and code.
Block comments (`<!-- wp:... -->`) carry no text and are dropped with every
other comment. Core footnotes (the `footnotes` post meta, JSON, referenced by
`<sup data-fn=ID>`) and the `[ref]`, `[efn_note]` and `[footnote]` shortcodes
become `[^n]` references numbered in reading order, with `[^n]: ...` definitions
at the end.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from markdownify import ATX, BACKSLASH, MarkdownConverter

from broadsheet.migration.wordpress.handnotes import convert_hand_notes
from broadsheet.migration.wordpress.media_markup import (
    ImageRef,
    MediaFinder,
    MediaMarkup,
)
from broadsheet.migration.wordpress.shortcodes import (
    MARK_CLOSE,
    MARK_OPEN,
    expand_shortcodes,
)
from broadsheet.migration.wordpress.text import (
    _destination,
    _label,
    _title,
    _with_title,
    escape_markdown,
    is_safe_url,
    plain_text,
)
from broadsheet.migration.wordpress.well_formed import well_formed

__all__ = [
    "Conversion",
    "ImageRef",
    "MediaFinder",
    "autop",
    "convert_post",
    "escape_markdown",
    "is_safe_url",
    "plain_text",
]

_BLOCK_TAG = re.compile(
    r"</?(?:table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol"
    r"|li|pre|form|blockquote|address|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|header|footer|nav|figure|figcaption|details|summary|iframe|!--)(?![\w-])",
    re.I,
)
_BACKTICKS = re.compile(r"`+")
_MARKER = re.compile(f"{MARK_OPEN}([sn])(\\d+){MARK_CLOSE}")


@dataclass(frozen=True)
class Found:
    """Something the conversion found, at a line of the Markdown it wrote."""

    line: int
    message: str


@dataclass
class Conversion:
    """A post's Markdown and what converting it found."""

    markdown: str
    notes: int = 0
    images: int = 0  # shown from the media library
    missing_media: list[str] = field(default_factory=list)  # upload URLs kept
    removed: list[Found] = field(default_factory=list)  # unknown shortcodes
    kept: list[Found] = field(default_factory=list)  # bracketed prose kept as text
    problems: list[Found] = field(default_factory=list)  # note problems
    warnings: list[str] = field(default_factory=list)


def convert_post(
    content: str,
    *,
    footnotes: str | None = None,
    media: MediaFinder | None = None,
    post_id: int = 0,
) -> Conversion:
    """Convert a post's content (and its `footnotes` meta) to Broadsheet Markdown.

    With `media`, images and galleries of uploaded files show the library's
    images (`media:N`); an upload not in the library keeps its URL (when its
    scheme is safe) and is listed in `missing_media`.
    """
    expansion = expand_shortcodes(
        content.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    )
    markup = expansion.html
    if "<!-- wp:" not in content:
        markup = autop(markup)
    book = _NoteBook(expansion.notes)
    core_problem = book.read_core(footnotes)
    converter = _Converter(book, media, post_id)
    markup = well_formed(markup)
    soup = BeautifulSoup(markup, "html.parser")
    try:
        convert_hand_notes(soup, expansion.notes, book.problems, html=markup)
        body = converter.convert_soup(soup).strip("\n")
    except RecursionError:
        return _kept_as_html(markup)
    definitions = book.definitions(converter)
    markdown, markers = _resolve_markers(body + "\n\n" + definitions)
    conversion = Conversion(
        markdown=markdown,
        notes=len(book.numbers),
        images=converter.images,
        missing_media=list(dict.fromkeys(converter.missing)),
        warnings=converter.warnings,
    )
    if core_problem:
        conversion.problems.append(Found(1, core_problem))
    for kind, index, line in markers:
        if kind == "s":
            shortcode = expansion.removed[index]
            conversion.removed.append(Found(line, shortcode))
        else:
            conversion.problems.append(Found(line, book.problems[index]))
    conversion.kept = _locate(markdown, expansion.kept)
    return conversion


def _kept_as_html(markup: str) -> Conversion:
    """The post's HTML kept as it is, for HTML nested deeper than the conversion's
    recursive walk (markdownify's, and the notes') can go: 330 levels of <div>, 165
    of lists (measured at Python's default recursion limit)."""
    markdown, _markers = _resolve_markers(_MARKER.sub("", markup))
    problem = (
        "its HTML is nested too deeply to convert to Markdown, so it is kept as "
        "HTML (shown as text past 100 levels): simplify it in the editor"
    )
    return Conversion(markdown=markdown, problems=[Found(1, problem)])


def autop(text: str) -> str:
    """Wrap a classic-editor post's blank-line paragraphs in <p>, as wpautop does.

    A simpler wpautop: lines that start with a block-level tag are left alone,
    runs of other lines become paragraphs with <br> at single line breaks, and
    <pre> blocks are kept as they are.
    """
    out: list[str] = []
    run: list[str] = []
    in_pre = False

    def flush() -> None:
        if run:
            out.append("<p>" + "<br />\n".join(run) + "</p>")
            run.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lower = line.lower()
        if in_pre or "<pre" in lower:
            flush()
            out.append(line)
            in_pre = (in_pre or "<pre" in lower) and "</pre" not in lower
        elif not line.strip():
            flush()
            out.append("")
        elif _BLOCK_TAG.match(line.lstrip()):
            flush()
            out.append(line)
        else:
            run.append(line.strip())
    flush()
    return "\n".join(out)


class _NoteBook:
    """Numbers every note in reading order, from whichever form it came in."""

    def __init__(self, shortcode_notes: list[str]) -> None:
        self.shortcode_notes = shortcode_notes
        self.core: dict[str, str] = {}
        self.numbers: dict[tuple[str, str], int] = {}
        self.bodies: list[str] = []
        self.problems: list[str] = []
        self.inside_note = False

    def read_core(self, meta: str | None) -> str | None:
        if not meta:
            return None
        try:
            notes = json.loads(meta)
            self.core = {str(note["id"]): str(note["content"]) for note in notes}
        except (ValueError, TypeError, KeyError):
            return "the footnotes post meta is not a JSON list of {id, content}"
        return None

    def reference(self, kind: str, key: str) -> str:
        if self.inside_note:
            return ""  # a note inside a note has nowhere to go
        if kind == "core" and key not in self.core:
            self.problems.append(
                f"note anchor {key!r} has no text in the footnotes meta"
            )
            return f"{MARK_OPEN}n{len(self.problems) - 1}{MARK_CLOSE}"
        if (kind, key) not in self.numbers:
            self.numbers[(kind, key)] = len(self.numbers) + 1
            body = self.core[key] if kind == "core" else self.shortcode_notes[int(key)]
            self.bodies.append(body)
        return f"[^{self.numbers[(kind, key)]}]"

    def definitions(self, converter: _Converter) -> str:
        used = {key for kind, key in self.numbers if kind == "core"}
        for key, body in self.core.items():
            if key not in used:  # kept, so no text is lost; rendering reports it
                self.numbers[("core", key)] = len(self.numbers) + 1
                self.bodies.append(body)
        self.inside_note = True
        lines = []
        for number, body in enumerate(self.bodies, start=1):
            text = converter.convert(body).strip() or "(empty note)"
            indented = text.replace("\n", "\n    ").replace("\n    \n", "\n\n")
            lines.append(f"[^{number}]: {indented}")
        return "\n\n".join(lines)


class _Converter(MediaMarkup, MarkdownConverter):
    """markdownify with Broadsheet's notes, figures, tables, code and escaping."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        newline_style = BACKSLASH
        table_infer_header = True
        autolinks = True

    def __init__(
        self, notes: _NoteBook, media: MediaFinder | None = None, post_id: int = 0
    ) -> None:
        super().__init__()
        self.notes = notes
        self.media = media
        self.post_id = post_id
        self.warnings: list[str] = []
        self.missing: list[str] = []
        self.images = 0

    def escape(self, text: str, parent_tags) -> str:
        return escape_markdown(text) if text else ""

    def convert_sup(self, el, text, parent_tags) -> str:
        if el.has_attr("data-fn"):
            return self.notes.reference("core", str(el["data-fn"]))
        key = str(el.get("data-wp-note", ""))
        if key.isdigit() and int(key) < len(self.notes.shortcode_notes):
            return self.notes.reference("shortcode", key)
        return f"<sup>{text.strip()}</sup>" if text.strip() else ""

    def convert_sub(self, el, text, parent_tags) -> str:
        return f"<sub>{text.strip()}</sub>" if text.strip() else ""

    def _keep_inline(self, el, text, parent_tags) -> str:
        title = el.get("title")
        attribute = f' title="{_attribute(title)}"' if title else ""
        return f"<{el.name}{attribute}>{text}</{el.name}>" if text.strip() else ""

    convert_mark = convert_abbr = convert_small = convert_ins = _keep_inline
    convert_cite = _keep_inline

    def convert_a(self, el, text, parent_tags) -> str:
        href = el.get("href") or ""
        if "_noformat" in parent_tags or not href or not text.strip():
            return text
        if href.startswith("#") and el.find_parent("sup") is not None:
            return text  # a hand-made note anchor: its number stays as text
        if self._links_to_itself(el, href):
            return text  # an image linked to its own file or attachment page
        if not is_safe_url(href):
            self.warnings.append(f"a link to {href[:60]!r} was dropped, its text kept")
            return text
        title = el.get("title")
        title_part = f' "{title.replace(chr(34), chr(92) + chr(34))}"' if title else ""
        prefix, suffix = (
            (" " if text[0] == " " else ""),
            (" " if text[-1] == " " else ""),
        )
        return f"{prefix}[{text.strip()}]({_destination(href)}{title_part}){suffix}"

    def convert_img(self, el, text, parent_tags) -> str:
        alt = _label(el.get("alt") or "")
        src = el.get("src") or ""
        if not src:
            return ""
        ref = self._upload(src, el)
        if ref is not None and ref.image_id is not None:
            self.images += 1
            return f"![{alt or _label(ref.alt)}](media:{ref.image_id}{_title(el)})"
        if not is_safe_url(src):
            self.warnings.append(f"an image from {src[:60]!r} was dropped")
            return alt
        title = el.get("title")
        title_part = f' "{title.replace(chr(34), chr(92) + chr(34))}"' if title else ""
        return f"![{alt}]({_destination(src)}{title_part})"

    def convert_figure(self, el, text, parent_tags) -> str:
        classes = el.get("class") or []
        if "wp-block-gallery" in classes:
            return self._block_gallery(el)
        if "wp-block-embed" in classes:
            wrapper = el.find(class_="wp-block-embed__wrapper")
            url = wrapper.get_text().strip() if wrapper else ""
            caption = el.find("figcaption")
            shown = self.process_tag(caption, parent_tags=set()) if caption else ""
            link = f"<{url}>" if url.startswith(("http://", "https://")) else ""
            return f"\n\n{link}\n\n{shown.strip()}\n\n"
        image = el.find("img")
        if image is None or el.find(["table", "figure", "blockquote"]) is not None:
            return text
        media = image.parent if image.parent.name == "a" else image
        tags = set(parent_tags) | {"figure"}
        shown = self.process_tag(media, parent_tags=tags).strip()
        caption = el.find("figcaption")
        words = self.process_tag(caption, parent_tags=tags).strip() if caption else ""
        if not words:
            return f"\n\n{shown}\n\n"
        if shown.startswith("![") and "](media:" in shown and caption.find("a") is None:
            # A library image's caption is its title: rendering puts it, with
            # the credit, in the figure's own caption.
            return "\n\n" + _with_title(shown, plain_text(str(caption))) + "\n\n"
        return (
            f"\n\n<figure>\n\n{shown}\n\n<figcaption>\n\n{words}\n\n"
            "</figcaption>\n</figure>\n\n"
        )

    def convert_div(self, el, text, parent_tags) -> str:
        if el.has_attr("data-wp-gallery") and "_inline" not in parent_tags:
            return self._shortcode_gallery(str(el["data-wp-gallery"]))
        return super().convert_div(el, text, parent_tags)

    def convert_iframe(self, el, text, parent_tags) -> str:
        src = el.get("src") or ""
        if not src.startswith(("http://", "https://")):
            return ""
        self.warnings.append(f"an embedded frame became a link to {src}")
        return f"\n\n<{src}>\n\n"

    def convert_pre(self, el, text, parent_tags) -> str:
        if not text.strip("\n"):
            return ""
        code = el.find("code")
        language = _language(code) or _language(el)
        fence = "`" * max(3, _longest_run(text) + 1)
        return f"\n\n{fence}{language}\n{text.strip(chr(10))}\n{fence}\n\n"

    def convert_td(self, el, text, parent_tags) -> str:
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el, text, parent_tags) -> str:
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)


def _language(el) -> str:
    if el is None:
        return ""
    for name in el.get("class") or []:
        if name.startswith("language-"):
            return name.removeprefix("language-")
    lang = el.get("lang") or el.get("data-lang") or ""
    return lang if lang.isalnum() else ""


def _longest_run(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _locate(markdown: str, kept: list[str]) -> list[Found]:
    """Find each bracketed text kept, in order, as it was escaped in the Markdown;
    one inside a link's address is not shown there, and gets no line."""
    found, at = [], 0
    for raw in kept:
        position = markdown.find(escape_markdown(raw), at)
        if position == -1:
            found.append(Found(0, raw))
            continue
        found.append(Found(markdown.count("\n", 0, position) + 1, raw))
        at = position + 1
    return found


def _resolve_markers(markdown: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Take the markers out, noting each one's line; tidy blank lines (not in code)."""
    out: list[str] = []
    found: list[tuple[str, int, int]] = []
    fence = ""
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if fence and stripped.startswith(fence):
            fence = ""
        elif not fence and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        if MARK_OPEN in line:
            for match in _MARKER.finditer(line):
                found.append((match[1], int(match[2]), len(out) + 1))
            line = _MARKER.sub("", line).replace("  ", " ").rstrip()
        if not fence and not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n", found
