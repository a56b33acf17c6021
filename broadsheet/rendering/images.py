"""Library images in Markdown: ![alt](media:42) becomes a responsive <img>, in a
<figure> with its caption and credit when it stands alone in a paragraph.

Rendering stays pure: the facts of each image (URLs, sizes, alt, credit) are
passed in as a mapping of id -> facts, the way citations get their works.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from broadsheet.rendering.document import Problem

SCHEME = "media:"
_REFERENCE = re.compile(r"media:(\d{1,11})")
_ENV_IMAGES = "broadsheet_images"
_ENV_PROBLEMS = "broadsheet_image_problems"


def begin(env: dict[str, Any], images: Mapping[int, Mapping[str, Any]] | None) -> None:
    """Give this render its images (id -> facts); without, every media: is unknown."""
    env[_ENV_IMAGES] = images if images is not None else {}


def referenced_ids(source: str) -> set[int]:
    """Every library id a source may show (a superset: "media:7" in code counts)."""
    return {int(match) for match in _REFERENCE.findall(source)}


def media_id(src: str) -> int | None:
    """The library id a "media:42" address names, else None."""
    if not src.startswith(SCHEME):
        return None
    digits = src[len(SCHEME) :]
    return int(digits) if digits.isdigit() and len(digits) < 12 else -1


def _resolve(state: StateCore) -> None:
    images = state.env.get(_ENV_IMAGES, {})
    problems = state.env.setdefault(_ENV_PROBLEMS, [])
    tokens = state.tokens
    line = 1
    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + 1
        if token.type != "inline" or not token.children:
            continue
        child_line = line
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                child_line += 1
            if child.type != "image":
                continue
            src = child.attrGet("src") or ""
            pk = media_id(str(src))
            if pk is None:
                continue
            facts = images.get(pk) if pk >= 0 else None
            if facts is None:
                problems.append(_unknown(child_line, str(src)))
                child.meta["media_unknown"] = True
                continue
            child.meta["media"] = facts
            if _stands_alone(tokens, index):
                child.meta["media_figure"] = True
                tokens[index - 1].hidden = True
                tokens[index + 1].hidden = True


def _unknown(line: int, src: str) -> Problem:
    return Problem(
        line,
        "unknown-image",
        f"no image in the media library has the address \u201c{src}\u201d: "
        "insert it again from the library, or remove it",
    )


def _stands_alone(tokens: Sequence[Token], index: int) -> bool:
    children = [
        c
        for c in tokens[index].children or ()
        if not (c.type == "text" and not c.content.strip())
    ]
    return (
        len(children) == 1
        and 0 < index < len(tokens) - 1
        and tokens[index - 1].type == "paragraph_open"
        and tokens[index + 1].type == "paragraph_close"
    )


def find_problems(env: dict[str, Any]) -> tuple[Problem, ...]:
    """Return one problem per media: address that names no library image."""
    return tuple(env.get(_ENV_PROBLEMS, ()))


def _render_image(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    facts = token.meta.get("media")
    if facts is None:
        if token.meta.get("media_unknown"):
            return ""  # reported as a problem; a broken <img> helps no reader
        return RendererHTML.image(self, tokens, idx, options, env)
    written = self.renderInlineAsText(token.children or [], options, env).strip()
    alt = written or str(facts.get("alt", ""))
    img = (
        f'<img src="{escapeHtml(str(facts["src"]))}"'
        f' srcset="{escapeHtml(str(facts.get("srcset", "")))}"'
        f' sizes="{escapeHtml(str(facts.get("sizes", "100vw")))}"'
        f' width="{int(facts["width"])}" height="{int(facts["height"])}"'
        f' loading="lazy" decoding="async" alt="{escapeHtml(alt)}">'
    )
    if not token.meta.get("media_figure"):
        return img
    caption = _caption(str(token.attrGet("title") or ""), str(facts.get("credit", "")))
    return f'<figure class="media-figure">{img}{caption}</figure>\n'


def _caption(title: str, credit: str) -> str:
    parts = []
    if title.strip():
        parts.append(f'<span class="media-caption">{escapeHtml(title.strip())}</span>')
    if credit.strip():
        parts.append(f'<span class="media-credit">{escapeHtml(credit.strip())}</span>')
    return f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""


def images_plugin(md: MarkdownIt) -> None:
    """Resolve media: images after inline parsing (notes' bodies included)."""
    md.core.ruler.after("inline", "media_images", _resolve)
    md.add_render_rule("image", _render_image)
