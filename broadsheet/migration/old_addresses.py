"""Where Hugo or Jekyll served a file, so its old address can redirect.

Only a folder with the site's configuration (hugo.toml, config.toml, hugo.yaml,
config.yaml; Jekyll's _config.yml) says how its addresses were made; a bare
folder of Markdown (Broadsheet's own export among them) gets no guessed
addresses. The patterns read are the documented defaults and placeholders:
Hugo's `permalinks` per section (:year :month :day :slug :title :section
:filename) and Jekyll's `permalink` (date, pretty, ordinal, none, or a pattern
of :categories :year :month :day :title :slug :output_ext).
"""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.text import slugify

from broadsheet.migration.frontmatter import FrontMatterError, load_yaml

HUGO_CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml")
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def site_config(root: Path, layout: str) -> dict[str, Any] | None:
    """The site's configuration, or None when the folder has none to read."""
    names = ("_config.yml",) if layout == "jekyll" else HUGO_CONFIGS
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            data = tomllib.loads(text) if name.endswith(".toml") else load_yaml(text)
        except (tomllib.TOMLDecodeError, FrontMatterError):
            return None  # a site's configuration is a hint, never a reason to fail
        return data if isinstance(data, dict) else {}
    return None


def old_address(record, parts: tuple[str, ...], layout: str, config: dict) -> str:
    """The path the old site served `record` (a MarkdownFile) at, or ""."""
    if layout == "hugo":
        return _hugo(record, parts, config)
    if layout == "jekyll":
        return _jekyll(record, parts, config)
    return ""


def _hugo(record, parts: tuple[str, ...], config: dict) -> str:
    section = parts[0] if len(parts) > 1 else ""
    folders = list(parts[:-1])
    if PurePosixPath(parts[-1]).stem in ("index", "_index"):
        folders = folders[:-1]  # a bundle's address is its folder's
    pattern = (config.get("permalinks") or {}).get(section) if section else None
    if not isinstance(pattern, str):
        return "/" + "/".join([*folders, record.slug]) + "/"
    values = {
        "section": section,
        "slug": record.slug,
        "title": slugify(record.title),
        "filename": PurePosixPath(parts[-1]).stem,
        **_dates(record),
    }
    return _fill(pattern, values)


def _jekyll(record, parts: tuple[str, ...], config: dict) -> str:
    pretty = str(config.get("permalink", "date"))
    if record.kind == "page":
        stem = "/".join([*parts[:-1], PurePosixPath(parts[-1]).stem])
        if stem.endswith("index"):
            return "/" + stem.removesuffix("index")
        return f"/{stem}/" if pretty == "pretty" else f"/{stem}.html"
    if record.date is None:
        return ""
    pattern = JEKYLL_STYLES.get(pretty, pretty)
    values = {
        "categories": "/".join(slugify(c) for c in record.categories),
        "title": record.slug,
        "slug": record.slug,
        "output_ext": ".html",
        "y_day": f"{record.date.timetuple().tm_yday:03d}",
        **_dates(record),
    }
    return _fill(pattern, values)


def _dates(record) -> dict[str, str]:
    if record.date is None:
        return {}
    return {
        "year": f"{record.date.year:04d}",
        "month": f"{record.date.month:02d}",
        "day": f"{record.date.day:02d}",
    }


def _fill(pattern: str, values: dict[str, str]) -> str:
    """Replace each :name with its value; a pattern with an unknown one gives ""."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] != ":":
            out.append(pattern[i])
            i += 1
            continue
        j = i + 1
        while j < len(pattern) and (pattern[j].isalnum() or pattern[j] == "_"):
            j += 1
        name = pattern[i + 1 : j]
        # Longest known name first: :title:output_ext has no separator.
        while name and name not in values:
            name = name[:-1]
        if not name:
            return ""
        out.append(values[name])
        i += 1 + len(name)
    path = "/" + "".join(out).lstrip("/")
    while "//" in path:
        path = path.replace("//", "/")
    return path
