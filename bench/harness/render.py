"""The flagship's cold render, timed against markdown-it-py alone (decision 0008)."""

from __future__ import annotations

import statistics
import sys
import time

from .paths import FLAGSHIP_SLUG, ROOT

# A render counts as timed at the machine's full speed when markdown-it-py alone,
# timed right before and right after it, ran within this factor of its fastest in
# the whole run.
FULL_SPEED_FACTOR = 1.10


def cold_render(repeats: int = 50) -> dict[str, object]:
    """One sample: the flagship rendered `repeats` times in-process, each render
    followed by markdown-it-py alone on the same source."""
    sys.path.insert(0, str(ROOT))
    from markdown_it import MarkdownIt

    from broadsheet.demo.corpus import build_demo_site, word_count
    from broadsheet.rendering import render

    site = build_demo_site()
    article = next(a for a in site.articles if a.slug == FLAGSHIP_SLUG)
    source = article.body_markdown
    first_started = time.perf_counter()
    document = render(source)  # first call also warms imports and regex caches
    first = (time.perf_counter() - first_started) * 1000
    # The same-run baseline: markdown-it-py alone (CommonMark, no notes, tables,
    # typography or sanitising) on the same source, timed alternately with ours,
    # so that the machine's speed of the moment shows next to our figure.
    bare = MarkdownIt("commonmark")
    bare.render(source)
    times, cpu, bare_times = _timed_renders(render, bare, source, repeats)
    return {
        "median_ms": round(statistics.median(times), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),
        "first_call_ms": round(first, 2),
        "bare_markdown_it_median_ms": round(statistics.median(bare_times), 2),
        # Each render next to the markdown-it-py render timed straight after it.
        "pairs_ms": [
            [round(ours, 3), round(alone, 3)]
            for ours, alone in zip(times, bare_times, strict=True)
        ],
        "repeats": repeats,
        "words": word_count(source),
        "notes": len(document.notes),
        "html_bytes": len(document.html) + len(document.notes_html),
    }


def _timed_renders(render, bare, source: str, repeats: int):
    times, cpu, bare_times = [], [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        render(source)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        started = time.perf_counter()
        bare.render(source)
        bare_times.append((time.perf_counter() - started) * 1000)
    return times, cpu, bare_times


def full_speed_render(samples: list[dict[str, object]]) -> dict[str, object]:
    """The cold-render figure: the median of the renders timed at full speed.

    The machine switches between its usual speed and a slow mode about 1.75x
    slower, sometimes within one sample of renders (decision 0008). Renders
    alternate with markdown-it-py alone; the renders with markdown-it-py within
    FULL_SPEED_FACTOR of its fastest in the run on both sides (straight before and
    straight after) are the ones judged. The choice is
    made by the baseline, never by our own time; every sample and pair is kept in
    the results."""
    pairs = [pair for sample in samples for pair in sample["pairs_ms"]]
    limit = min(alone for _ours, alone in pairs) * FULL_SPEED_FACTOR
    judged = [
        (ours, alone)
        for sample in samples
        for (ours, alone), before in zip(
            sample["pairs_ms"], [None, *sample["pairs_ms"]], strict=False
        )
        # The speed can change between two renders: a render counts only when
        # markdown-it-py ran at full speed on both sides of it.
        if alone <= limit and (before is None or before[1] <= limit)
    ] or [pair for pair in pairs if pair[1] <= limit]  # never two fast in a row
    first = samples[0]

    def median(times: list[tuple[float, float]], which: int) -> float:
        return round(statistics.median(pair[which] for pair in times), 2)

    return {
        "median_ms": median(judged, 0),
        "bare_markdown_it_median_ms": median(judged, 1),
        "judged_renders": len(judged),
        "repeats": len(pairs),
        "all_median_ms": median(pairs, 0),
        "all_bare_median_ms": median(pairs, 1),
        **{key: first[key] for key in ("words", "notes", "html_bytes")},
        "samples": samples,
    }
