"""The benchmark's choice of where to judge its absolute-time targets (decision 0008).

The choice must follow the same-run baseline, never Broadsheet's own figure: these
tests give the faster machine moment the worse Broadsheet figure on purpose.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))  # run.py imports its neighbour static_export
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def _render_sample(pairs: list[tuple[float, float]], when: str) -> dict:
    ours = [o for o, _a in pairs]
    alone = [a for _o, a in pairs]
    return {
        "median_ms": sorted(ours)[len(ours) // 2],
        "bare_markdown_it_median_ms": sorted(alone)[len(alone) // 2],
        "pairs_ms": [list(pair) for pair in pairs],
        "repeats": len(pairs),
        "when": when,
        **{"words": 6000, "notes": 44, "html_bytes": 60000},
    }


def test_cold_render_is_judged_at_the_renders_where_markdown_it_alone_ran_fastest(
    bench,
):
    samples = [
        _render_sample(
            [
                (11.0, 15.0),  # our fastest renders, with markdown-it-py slow: out
                (12.0, 14.8),
                (25.0, 9.4),  # markdown-it-py fast only after it: out
                (13.0, 9.2),
            ],
            "at the start",
        ),
        _render_sample([(14.0, 9.0), (13.5, 9.8), (30.0, 14.0)], "later"),
    ]

    judged = bench.full_speed_render(samples)

    # judged: markdown-it-py within 1.10x of its fastest (9.0) before and after
    assert judged["judged_renders"] == 3
    assert judged["median_ms"] == 13.5  # of 13.0, 14.0 and 13.5
    assert judged["bare_markdown_it_median_ms"] == 9.2
    assert judged["repeats"] == 7
    assert judged["samples"] == samples
    note = bench._render_samples_note(judged)
    assert "median of the 3 of 7 renders timed at full speed" in note
    assert "13.0 ms (markdown-it-py 14.8) at the start" in note


def _nginx_run(block: str, rps: float) -> dict:
    return {"block": block, "rps": rps}


def test_cached_article_is_judged_in_the_block_whose_nginx_ran_fastest(bench):
    runs = {
        "nginx: flagship file": {
            "runs": [
                *(_nginx_run("before the cached article", r) for r in (20e3, 21e3)),
                *(_nginx_run("after the cached article", r) for r in (22e3, 23e3)),
                _nginx_run("after the uncached article", 40e3),  # not adjacent
                *(_nginx_run("before the late cached article", r) for r in (29e3,)),
                *(_nginx_run("after the late cached article", r) for r in (30e3,)),
            ]
        },
        "article, cache on": {"rps": 14e3, "p99_ms": 7.0},
        "article, cache on (late)": {"rps": 12e3, "p99_ms": 9.0},
    }

    judged, other = bench.cached_article_verdict(runs)

    assert judged["name"] == "article, cache on (late)"
    assert judged["nginx_rps"] == 30e3  # median of its own two blocks (higher middle)
    assert (other["name"], other["nginx_rps"]) == ("article, cache on", 22e3)


def test_a_run_without_the_late_block_judges_the_only_one(bench):
    runs = {
        "nginx: flagship file": {
            "runs": [
                _nginx_run("before the cached article", 20e3),
                _nginx_run("after the cached article", 24e3),
            ]
        },
        "article, cache on": {"rps": 14e3, "p99_ms": 7.0},
    }

    assert [b["name"] for b in bench.cached_article_verdict(runs)] == [
        "article, cache on"
    ]


def test_a_scenario_p99_is_the_median_of_its_runs_not_the_middle_run_by_throughput(
    bench,
):
    def run(rps: float, p99: float) -> dict:
        return {"rps": rps, "p50_ms": 2.0, "p90_ms": 4.0, "p99_ms": p99, "command": ""}

    # the run with the middle throughput stalled once; the other two did not
    summary = bench.summarize(
        [run(13_608, 7.09), run(11_836, 7.35), run(13_484, 18.47)]
    )

    assert summary["rps"] == 13_484
    assert summary["p99_ms"] == 7.35
