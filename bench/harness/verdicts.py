"""A scenario's figures from its runs, and each run against the nginx runs beside it.

See docs/decisions/0008-judging-absolute-timing-targets.md.
"""

from __future__ import annotations

import statistics

# what the JSON keeps of each measured run
RUN_FIELDS = (
    "block", "rps", "baseline_rps", "of_baseline", "p50_ms", "p99_ms", "requests",
    "non_2xx_3xx", "socket_errors", "settle_s", "settle_after_s", "loadavg",
    "cpu_us_per_request",
)  # fmt: skip

CACHED_BLOCKS = ("article, cache on", "article, cache on (late)")


def pair_with_baseline(
    runs: list[dict[str, object]], baseline: list[dict[str, object]]
) -> None:
    """Give each run (measured between baseline[i] and baseline[i + 1]) the mean of
    those two baseline runs (`baseline_rps`) and its ratio to it (`of_baseline`)."""
    assert len(baseline) == len(runs) + 1, "each run needs a baseline on each side"
    for i, run in enumerate(runs):
        around = (float(baseline[i]["rps"]) + float(baseline[i + 1]["rps"])) / 2
        run["baseline_rps"] = round(around, 1)
        run["of_baseline"] = round(float(run["rps"]) / around, 4) if around else 0.0


def paired_figures(runs: list[dict[str, object]]) -> dict[str, float]:
    """The median of the runs' ratios to their baseline, and of their p99s.

    Medians of per-run figures: a ratio is only ever taken between runs seconds
    apart, and one stalled run decides neither figure."""
    return {
        "of_baseline": statistics.median(float(r["of_baseline"]) for r in runs),
        "baseline_rps": statistics.median(float(r["baseline_rps"]) for r in runs),
        "rps": statistics.median(float(r["rps"]) for r in runs),
        "p99_ms": statistics.median(float(r["p99_ms"]) for r in runs),
        "runs": len(runs),
    }


def median_index(values: list[float]) -> int:
    """Index of the median value; of two middle values, the higher one (for the
    nginx baseline, whose run count is even, that is the stricter choice)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    return order[len(order) // 2]


def summarize(runs: list[dict[str, object]], **meta: object) -> dict[str, object]:
    """A scenario's figures: the median of each measure over its runs (req/s from
    the median run by req/s; p50, p90 and p99 each the median of the runs' own), errors
    summed over every run, and every run's figures.

    Each measure gets its own median: the p99 of the run whose throughput was the
    middle one let a single stalled run decide a scenario's p99 (decision 0008)."""
    pick = runs[median_index([float(r["rps"]) for r in runs])]
    rps = [float(r["rps"]) for r in runs]

    def median_of(measure: str) -> float | None:
        measured = [float(r[measure]) for r in runs if r.get(measure) is not None]
        return statistics.median(measured) if measured else None

    socket_errors: dict[str, int] = {}
    for r in runs:
        for kind, count in (r.get("socket_errors") or {}).items():
            socket_errors[kind] = socket_errors.get(kind, 0) + count
    return {
        "rps": pick["rps"],
        "p50_ms": median_of("p50_ms"),
        "p90_ms": median_of("p90_ms"),
        "p99_ms": median_of("p99_ms"),
        "cpu_us_per_request": median_of("cpu_us_per_request"),
        "requests": pick.get("requests"),
        "read": pick.get("read"),
        # errors of all runs: a run with errors fails its target
        "non_2xx_3xx": sum(int(r.get("non_2xx_3xx") or 0) for r in runs),
        "socket_errors": socket_errors,
        "median_run": runs.index(pick) + 1,
        "repeats": len(runs),
        "rps_min": min(rps),
        "rps_max": max(rps),
        "rps_spread_pct": round((max(rps) - min(rps)) / pick["rps"] * 100, 1)
        if pick["rps"]
        else None,
        "command": pick["command"],
        **meta,
        "runs": [{k: r[k] for k in RUN_FIELDS if k in r} for r in runs],
    }


def cached_article_verdict(runs: dict[str, dict]) -> dict[str, object]:
    """The cached article's figures for its targets: every run of its two blocks
    (minutes apart), each against nginx's runs just before and after it.

    The machine's speed changes by the minute; pooling both blocks' paired runs
    judges the article at both moments instead of choosing one."""
    measured = [
        run for name in CACHED_BLOCKS if name in runs for run in runs[name]["runs"]
    ]
    return paired_figures(measured)
