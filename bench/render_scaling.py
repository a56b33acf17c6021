"""Render time against input size: is rendering linear in what a writer types?

    .venv/bin/python bench/render_scaling.py            # prints a table
    .venv/bin/python bench/render_scaling.py --json F   # and writes the figures

For each kind of input (ordinary prose with notes and citations, and the shapes
that once made renders explode: the locator pattern that backtracked, deep raw
HTML, deep lists, deep quotes, unclosed elements, many notes) the source is built
at four sizes, each twice the last, and rendered in-process; the figure is the
least CPU time of three renders. "growth" is how much more each doubling costs:
2.0 is linear, 4.0 quadratic. Linear means the largest size's time per KB is
within 1.5x of the smallest's (`linear` in the JSON). Nothing is asserted in the
test suite: time is judged here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = (1, 2, 4, 8)  # units of each kind's block
PROSE = (
    "Type founders cast each letter in a mould held in the hand, and a good caster"
    " made several thousand sorts a day [@moxon1683, p. 12].[^n{n}]\n\n"
    "[^n{n}]: The figure varies with the size of the type and the metal.\n\n"
)


def _prose(units: int) -> str:
    return "".join(PROSE.format(n=n) for n in range(units * 200))


def _locator(units: int) -> str:
    # The 130-byte source that took 11.6 s before the pattern was made linear.
    return ("Claim [@key, 1" + " and1" * 24 + "!]\n\n") * (units * 200)


def _deep_html(units: int) -> str:
    depth = units * 5_000
    return "<div>" * depth + "text" + "</div>" * depth + "\n"


def _deep_lists(units: int) -> str:
    return "".join("  " * n + "- item\n" for n in range(80)) * (units * 20)


def _deep_quotes(units: int) -> str:
    return ("> " * 60 + "quoted words\n\n") * (units * 100)


def _unclosed(units: int) -> str:
    return "<select>\n\n" + "Words after it.\n\n" * (units * 2_000)


def _many_notes(units: int) -> str:
    count = units * 500
    refs = " ".join(f"Claim.[^{n}]" for n in range(count))
    return refs + "\n\n" + "".join(f"[^{n}]: Note {n}.\n" for n in range(count))


KINDS: dict[str, Callable[[int], str]] = {
    "prose with notes and citations": _prose,
    "locator pattern": _locator,
    "nested raw HTML": _deep_html,
    "nested lists": _deep_lists,
    "nested quotes": _deep_quotes,
    "unclosed element": _unclosed,
    "many notes": _many_notes,
}


def cpu_seconds(run: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def measure() -> dict[str, dict[str, object]]:
    """Each kind's sizes and times, its growth per doubling and its verdict."""
    import django

    django.setup()
    from broadsheet.rendering import render
    from broadsheet.sources.styles import DEFAULT_STYLE, style_path

    style = str(style_path(DEFAULT_STYLE))
    works = {"moxon1683": {"id": "moxon1683", "type": "book", "title": "Mechanick"}}
    figures: dict[str, dict[str, object]] = {}
    for kind, build in KINDS.items():
        points = []
        for units in SIZES:
            source = build(units)
            seconds = cpu_seconds(lambda s=source: render(s, works=works, style=style))
            points.append((len(source.encode()), seconds))
        per_kb = [seconds / (size / 1024) for size, seconds in points]
        growth = (points[-1][1] / points[0][1]) ** (1 / (len(SIZES) - 1))
        figures[kind] = {
            "bytes": [size for size, _ in points],
            "cpu_ms": [round(seconds * 1000, 2) for _, seconds in points],
            "growth_per_doubling": round(growth, 2),
            "linear": per_kb[-1] <= 1.5 * per_kb[0],
        }
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    figures = measure()
    print(f"{'input':<32} {'KB':>24} {'CPU ms':>32} {'growth':>7} linear")
    for kind, f in figures.items():
        sizes = " ".join(f"{b / 1024:.0f}" for b in f["bytes"])
        times = " ".join(f"{ms:.1f}" for ms in f["cpu_ms"])
        print(
            f"{kind:<32} {sizes:>24} {times:>32}"
            f" {f['growth_per_doubling']:>7} {'yes' if f['linear'] else 'NO'}"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
