"""Read a folder of Markdown (Hugo, Jekyll or plain) into records; no database.

Every file is read and checked before anything is saved, so a folder with one
bad file imports nothing and the error names each bad file and line.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.text import slugify

from broadsheet.migration.frontmatter import FrontMatterError, Parsed, load_yaml, split
from broadsheet.migration.markdown_fields import Fields, FileProblemError, aware
from broadsheet.migration.old_addresses import old_address, site_config
from broadsheet.migration.templates_markup import Removed, strip_templates

SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
MAX_FILE_BYTES = 5_000_000
POST_SECTIONS = {"posts", "post", "blog", "articles"}
SKIPPED_DIRS = {"node_modules", "vendor", "_site", "public", "resources"}
JEKYLL_DATED = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")
MORE = "<!--more-->"
READ_KEYS = {
    "title", "subtitle", "description", "summary", "excerpt", "date", "lastmod",
    "updated", "last_modified_at", "modified", "draft", "published", "status",
    "slug", "tags", "tag", "categories", "category", "author", "authors",
    "aliases", "redirect_from", "bibliography", "republication", "featured_image",
    "type", "url", "permalink",
}  # fmt: skip


@dataclass(frozen=True)
class FileProblem:
    """What is wrong with one file, at a line of it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


class MarkdownFolderError(Exception):
    """Raised when a folder cannot be imported; lists every file problem."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(shown + more)


@dataclass
class MarkdownFile:
    """One file's article or page, as the front matter and path describe it."""

    path: str  # relative to the folder, with / separators
    kind: str  # "article" or "page"
    title: str
    slug: str
    body: str
    body_line: int
    subtitle: str = ""
    excerpt: str = ""
    date: datetime.datetime | None = None
    updated: datetime.datetime | None = None
    status: str = ""  # a Broadsheet status; "" for published unless draft
    draft: bool = False
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    bibliography: list[str] = field(default_factory=list)  # relative to the folder
    republication: dict[str, Any] | None = None
    featured_image: int | None = None
    image_path: str = ""  # a featured image given as a file: not imported
    old_path: str = ""  # where the old site served it, from its configuration
    removed: list[Removed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the report's warnings


@dataclass
class Folder:
    """What a folder holds: its layout, files to import and files left out."""

    root: Path
    layout: str  # "hugo", "jekyll" or "plain"
    files: list[MarkdownFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, why
    unread_keys: dict[str, int] = field(default_factory=dict)


def read_folder(root: Path) -> Folder:
    """Read every Markdown file under `root`; raise MarkdownFolderError if any
    file is malformed (front matter, a date, an author, encoding)."""
    layout, base = detect_layout(root)
    folder = Folder(root=root, layout=layout)
    config = site_config(root, layout) if layout != "plain" else None
    problems: list[FileProblem] = []
    for path in _markdown_paths(base, layout):
        relative = path.relative_to(root).as_posix()
        try:
            record = _read_file(path, relative, path.relative_to(base), layout, root)
        except FileProblemError as error:
            problems.append(FileProblem(relative, error.line, str(error)))
            continue
        if isinstance(record, str):
            folder.skipped.append((relative, record))
        else:
            if config is not None:
                parts = path.relative_to(base).parts
                record.old_path = old_address(record, parts, layout, config)
            folder.files.append(record)
            for key in record.notes:
                folder.unread_keys[key] = folder.unread_keys.get(key, 0) + 1
            record.notes = []
    if layout == "jekyll":
        _jekyll_authors(root, folder, problems)
    if problems:
        raise MarkdownFolderError(problems)
    return folder


def _jekyll_authors(root: Path, folder: Folder, problems: list[FileProblem]) -> None:
    """Jekyll themes name authors by a key of _data/authors.yml: use its name."""
    path = root / "_data" / "authors.yml"
    if not path.is_file():
        return
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (FrontMatterError, UnicodeDecodeError) as error:
        problems.append(
            FileProblem("_data/authors.yml", getattr(error, "line", 1), str(error))
        )
        return
    if not isinstance(data, dict):
        problems.append(
            FileProblem("_data/authors.yml", 1, "expected a mapping of keys to authors")
        )
        return
    names = {
        str(key): entry["name"]
        for key, entry in data.items()
        if isinstance(entry, dict) and isinstance(entry.get("name"), str)
    }
    for record in folder.files:
        record.authors = [names.get(author, author) for author in record.authors]


def detect_layout(root: Path) -> tuple[str, Path]:
    """Hugo (a content/ folder, or a posts/ one), Jekyll (_posts/ or
    _config.yml), else plain; and the folder the content is read from."""
    if (root / "_posts").is_dir() or (root / "_config.yml").is_file():
        return "jekyll", root
    if (root / "content").is_dir():
        return "hugo", root / "content"
    if any((root / name).is_dir() for name in POST_SECTIONS):
        return "hugo", root
    return "plain", root


def _markdown_paths(base: Path, layout: str) -> list[Path]:
    found = []
    for directory, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if _walked(d, layout))
        for name in sorted(files):
            path = Path(directory, name)
            if path.suffix.lower() in SUFFIXES and not path.is_symlink():
                found.append(path)
    return found


def _walked(name: str, layout: str) -> bool:
    if name.startswith(".") or name in SKIPPED_DIRS:
        return False
    return not (layout == "jekyll" and name.startswith("_")) or name in (
        "_posts",
        "_drafts",
    )


def _read_file(
    path: Path, relative: str, within: Path, layout: str, root: Path
) -> MarkdownFile | str:
    """The file's record, or a string saying why it is not imported."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise FileProblemError(f"larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FileProblemError(
            f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})", line
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise FileProblemError(
            "contains a NUL character", text.count("\n", 0, text.index("\x00")) + 1
        )
    try:
        parsed = split(text)
    except FrontMatterError as error:
        raise FileProblemError(str(error), error.line) from error
    parts = within.parts
    kind, reason = _kind(parts, layout, parsed)
    if reason:
        return reason
    return _record(parsed, relative, parts, layout, kind, root, path)


def _kind(parts: tuple[str, ...], layout: str, parsed: Parsed) -> tuple[str, str]:
    """("article" or "page", "") or ("", why the file is left out)."""
    declared = str(parsed.meta.get("type", "")).lower()
    if layout == "jekyll":
        if "_posts" in parts or "_drafts" in parts:
            return "article", ""
        if not parsed.has_front_matter:
            return "", "no front matter (Jekyll copies such files as they are)"
        return "page", ""
    if layout == "hugo":
        if parts[-1] == "_index.md" and (len(parts) == 1 or parts[0] in POST_SECTIONS):
            return "", "a section's list page (Broadsheet makes its own lists)"
        if declared in ("post", "posts", "article"):
            return "article", ""
        if declared == "page" or len(parts) == 1 or parts[0] not in POST_SECTIONS:
            return "page", ""
    return "article", ""


def _record(
    parsed: Parsed,
    relative: str,
    parts: tuple[str, ...],
    layout: str,
    kind: str,
    root: Path,
    path: Path,
) -> MarkdownFile:
    meta = parsed.meta
    fields = Fields(parsed)
    stem = PurePosixPath(parts[-1]).stem
    if stem in ("index", "_index") and len(parts) > 1:
        stem = parts[-2]  # a page bundle is named by its folder
    file_date = None
    dated = JEKYLL_DATED.fullmatch(stem) if layout == "jekyll" else None
    if dated:
        stem = dated[4]
        try:
            file_date = aware(datetime.datetime(*map(int, dated.groups()[:3])))
        except ValueError as error:
            raise FileProblemError(f"the file name's date: {error}", 1) from error
    slug = slugify(fields.text("slug") or stem)[:190].strip("-")
    if not slug:
        slug = slugify(fields.text("title"))[:190].strip("-")
    title = (
        fields.text("title") or stem.replace("-", " ").replace("_", " ").capitalize()
    )
    body = parsed.body
    leading = len(body) - len(body.lstrip("\n"))
    stripped = strip_templates(body[leading:])
    body_text = "\n".join(
        "" if line.strip() == MORE else line for line in stripped.text.split("\n")
    )
    excerpt = (
        fields.text("summary") or fields.text("description") or fields.text("excerpt")
    )
    record = MarkdownFile(
        path=relative,
        kind=kind,
        title=title,
        slug=slug,
        body=body_text,
        body_line=parsed.body_line + leading,
        subtitle=fields.text("subtitle"),
        excerpt=excerpt,
        date=fields.when("date") or file_date,
        updated=fields.first_when("lastmod", "updated", "last_modified_at", "modified"),
        status=fields.status(),
        draft=fields.flag("draft")
        or fields.flag("published", negate=True)
        or "_drafts" in parts,
        authors=fields.authors(),
        tags=fields.words("tags", "tag", split_words=layout == "jekyll"),
        categories=fields.words(
            "categories", "category", split_words=layout == "jekyll"
        ),
        aliases=_aliases(
            fields.words("aliases", "redirect_from") + _fixed_addresses(fields),
            parts,
            layout,
        ),
        bibliography=[
            _bibliography(name, path, root, fields.line("bibliography"))
            for name in fields.words("bibliography")
        ],
        republication=fields.republication(),
        featured_image=fields.media_id("featured_image"),
        image_path=""
        if fields.media_id("featured_image")
        else fields.text("featured_image"),
        removed=stripped.removed,
        notes=sorted(str(k) for k in meta if str(k) not in READ_KEYS),
    )
    if layout == "jekyll" and kind == "article":
        # Jekyll takes the folders above _posts as categories too.
        above = parts[: parts.index("_posts")] if "_posts" in parts else ()
        record.categories += [c for c in above if c not in record.categories]
    return record


def _aliases(found: list[str], parts: tuple[str, ...], layout: str) -> list[str]:
    """Old addresses as site paths: Hugo reads a relative alias in the section."""
    section = "/" + "/".join(parts[:-1]) if layout == "hugo" and len(parts) > 1 else ""
    return [
        a if a.startswith(("/", "http://", "https://")) else f"{section}/{a}"
        for a in found
    ]


def _fixed_addresses(fields: Fields) -> list[str]:
    """A `url` (Hugo) or `permalink` (Jekyll) the file had on the old site; one
    with :placeholders is a pattern, not an address."""
    return [a for a in fields.words("url", "permalink") if ":" not in a]


def _bibliography(name: str, path: Path, root: Path, line: int) -> str:
    """The bibliography file, relative to the folder: Pandoc reads the name from
    the working directory, so beside the file is tried first, then the root."""
    resolved_root = root.resolve()
    for candidate in (path.parent / name, root / name.lstrip("/")):
        resolved = candidate.resolve()
        if resolved.is_relative_to(resolved_root) and resolved.is_file():
            return resolved.relative_to(resolved_root).as_posix()
    raise FileProblemError(
        f"bibliography: no file {name!r} in the folder (beside the file or at the"
        " root)",
        line,
    )
