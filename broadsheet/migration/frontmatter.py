"""Split a Markdown file into its front matter (YAML, TOML or JSON) and body.

Hand-split rather than python-frontmatter: an error must name the file's line,
and that library hides where the front matter starts and what the parser said.
YAML goes through PyYAML's safe loader with aliases refused (a few lines of
nested aliases expand to gigabytes); TOML through the standard library.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_FRONT_MATTER_CHARS = 100_000
_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")
YAML_FENCES = ("---",)
YAML_ENDS = ("---", "...")
TOML_FENCE = "+++"
# libyaml's emitter when PyYAML was built with it: ten times the pure one's speed.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class FrontMatterError(ValueError):
    """Raised for front matter that cannot be read; `line` is the file's line."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class Parsed:
    """A file's front matter as a dict, its body, and where each part starts."""

    meta: dict[str, Any]
    body: str
    body_line: int  # the file line the body starts on
    has_front_matter: bool
    lines: list[str] = field(default_factory=list, repr=False)  # front matter's
    first_line: int = 1  # file line of the front matter's first line

    def line_of(self, key: str) -> int:
        """The file line where `key` is set (the front matter's start if unseen)."""
        for offset, text in enumerate(self.lines):
            text = text.lstrip(" \t")  # JSON's keys are indented and quoted
            quote = text[:1] if text[:1] in ('"', "'") else ""
            if text.startswith(quote + key + quote):
                rest = text[len(key) + 2 * len(quote) :].lstrip(" \t")
                if rest[:1] in (":", "="):
                    return self.first_line + offset
        return max(self.first_line - 1, 1)


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases (the billion-laughs bomb)."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not accepted", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):  # noqa: ANN001 - PyYAML's signature
        """A date such as 2023-02-30 is an error at its line, not a ValueError."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a date: {node.value!r} ({error})", node.start_mark
            ) from error


_NoAliasLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _NoAliasLoader.construct_yaml_timestamp
)


def split(text: str) -> Parsed:
    """Read the front matter at the start of `text`; the body is what follows.

    Raises FrontMatterError (with the file line) when the front matter is not
    closed, is not valid YAML or TOML, or is not a mapping.
    """
    if text[:1] == "{" and text[1:2] not in ("{", "%"):
        return _json(text)
    lines = text.split("\n")
    opener = lines[0].rstrip()
    if opener in YAML_FENCES:
        ends, kind = YAML_ENDS, "YAML"
    elif opener == TOML_FENCE:
        ends, kind = (TOML_FENCE,), "TOML"
    else:
        return Parsed({}, text, 1, False)
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ends), None)
    if close is None:
        raise FrontMatterError(
            f"front matter opened by {opener} is never closed", line=1
        )
    inner = lines[1:close]
    source = "\n".join(inner)
    if len(source) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(
            f"front matter longer than {MAX_FRONT_MATTER_CHARS:,} characters", line=1
        )
    meta = _yaml(source) if kind == "YAML" else _toml(source, last_line=close)
    if not isinstance(meta, dict):
        raise FrontMatterError(
            f"{kind} front matter must be a mapping of names to values", line=2
        )
    body = "\n".join(lines[close + 1 :])
    return Parsed(meta, body, close + 2, True, inner, 2)


def _json(text: str) -> Parsed:
    """Hugo's JSON front matter: one object at the start, the body after it."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text[: MAX_FRONT_MATTER_CHARS + 1])
    except json.JSONDecodeError as error:
        raise FrontMatterError(
            f"JSON front matter: {error.msg}", line=error.lineno
        ) from error
    if not isinstance(meta, dict):
        raise FrontMatterError("JSON front matter must be an object", line=1)
    lines = text[:end].split("\n")
    return Parsed(meta, text[end:], len(lines), True, lines, 1)


def load_yaml(source: str) -> Any:
    """Read a YAML file (a Jekyll data file, say) as front matter is read.

    Raises FrontMatterError with the file line.
    """
    try:
        return _yaml(source, offset=1)
    except FrontMatterError as error:
        raise FrontMatterError(
            str(error).removeprefix("YAML front matter: "), line=error.line
        ) from error


def _yaml(source: str, *, offset: int = 2) -> Any:
    try:
        # The loader's own class (not yaml.load's Loader argument alone) keeps
        # the alias refusal in force.
        loader = _NoAliasLoader(source)
        try:
            value = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + offset if mark else 1
        problem = error.problem or error.context or "unreadable"
        raise FrontMatterError(f"YAML front matter: {problem}", line=line) from error
    except yaml.YAMLError as error:
        raise FrontMatterError(f"YAML front matter: {error}", line=1) from error
    return {} if value is None else value


def _toml(source: str, *, last_line: int) -> Any:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_AT.search(message)
        # "at end of document": the front matter's last line.
        line = int(found[1]) + 1 if found else max(last_line, 1)
        problem = _TOML_AT.sub("", message).strip()
        raise FrontMatterError(f"TOML front matter: {problem}", line=line) from error


def dump_yaml(meta: dict[str, Any]) -> str:
    """Write `meta` as a YAML front matter block, fences included."""
    text = yaml.dump(
        meta,
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return f"---\n{text}---\n"
