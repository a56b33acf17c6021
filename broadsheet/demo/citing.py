"""Weave citations of the demo bibliography into the demo's long articles."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable

from broadsheet.demo.bibliography import THEMES, demo_works

PAGE_RANGE = re.compile(r"^(\d+)-(\d+)$")
# A plain paragraph: starts with a letter, holds no note definition or markup block.
PROSE = re.compile(r"^[A-Z][^\n]*\.$")


def _page_ranges() -> dict[str, tuple[int, int] | None]:
    ranges: dict[str, tuple[int, int] | None] = {}
    for item in demo_works():
        match = PAGE_RANGE.match(item.get("page", ""))
        if match:
            ranges[item["id"]] = (int(match.group(1)), int(match.group(2)))
        elif item["type"] in ("book", "thesis", "report"):
            ranges[item["id"]] = (5, 180)  # books carry no page field: stay early
        else:
            ranges[item["id"]] = None
    return ranges


def _citation(key: str, rng: random.Random, ranges) -> str:
    span = ranges[key]
    if span is None:
        return f"[@{key}]"
    first = rng.randint(span[0], span[1])
    if rng.random() < 0.3 and first < span[1]:
        return f"[@{key}, pp. {first}-{min(first + rng.randint(1, 3), span[1])}]"
    return f"[@{key}, p. {first}]"


def note_citer(keys: list[str], rng: random.Random) -> Callable[[], str]:
    """Return a function giving, call by call, citations of `keys` for notes."""
    ranges = _page_ranges()
    deck: list[str] = []

    def cite() -> str:
        if not deck:
            deck.extend(keys)
            rng.shuffle(deck)
        return _citation(deck.pop(), rng, ranges)

    return cite


def keys_for(theme: str, share: list[str], count: int) -> list[str]:
    """Return `count` keys: this article's share of the works, then its theme's."""
    keys = list(share)
    for key in THEMES.get(theme) or THEMES["printing"] + THEMES["paper"]:
        if len(keys) >= count:
            break
        if key not in keys:
            keys.append(key)
    return keys


def cite_works(article, *, keys: list[str], count: int, rng: random.Random):
    """Return `article` with `count` citations added at the end of prose paragraphs.

    One citation is repeated in the next paragraph so the style's short form (or
    Ibid.) shows, and one is narrative ("@key argues ...").
    """
    ranges = _page_ranges()
    blocks = article.body_markdown.split("\n\n")
    prose = [i for i, block in enumerate(blocks) if PROSE.match(block)]
    chosen = sorted(rng.sample(prose, min(count, len(prose))))
    for n, index in enumerate(chosen):
        key = keys[0] if n == 1 else keys[(n - (n > 1)) % len(keys)]  # 1 repeats 0
        blocks[index] = blocks[index][:-1] + " " + _citation(key, rng, ranges) + "."
    if len(chosen) > 3:
        narrative = chosen[len(chosen) // 2]
        key = keys[-1]
        blocks[narrative] += f" @{key} reaches much the same conclusion."
    return dataclasses.replace(article, body_markdown="\n\n".join(blocks))
