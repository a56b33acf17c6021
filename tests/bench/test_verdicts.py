"""How the benchmark judges its targets against same-run baselines (decision 0008).

Each of the article's runs is compared with nginx's runs beside it; a scenario's
figures are medians of its runs, each measure its own.
"""

import pytest


def test_a_run_needs_an_nginx_run_on_each_side(harness):
    with pytest.raises(AssertionError):
        harness.verdicts.pair_with_baseline(
            [{"rps": 1.0}, {"rps": 1.0}], [{"rps": 2.0}] * 2
        )


def _paired_run(rps: float, nginx: float, p99: float) -> dict:
    return {
        "rps": rps,
        "baseline_rps": nginx,
        "of_baseline": rps / nginx,
        "p99_ms": p99,
    }


def _block(*runs: dict) -> dict:
    return {"rps": sorted(r["rps"] for r in runs)[len(runs) // 2], "runs": list(runs)}


def test_the_cached_article_is_judged_on_the_runs_of_both_blocks(harness):
    runs = {
        "article, cache on": _block(
            _paired_run(14e3, 20e3, 7.0),  # 70 %
            _paired_run(9e3, 20e3, 12.0),  # 45 %
            _paired_run(12e3, 20e3, 8.0),  # 60 %
        ),
        "article, cache on (late)": _block(
            _paired_run(10e3, 25e3, 11.0),  # 40 %
            _paired_run(13e3, 25e3, 9.0),  # 52 %
            _paired_run(11e3, 25e3, 13.0),  # 44 %
        ),
    }

    verdict = harness.verdicts.cached_article_verdict(runs)

    assert verdict["runs"] == 6
    assert verdict["of_baseline"] == pytest.approx((0.52 + 0.45) / 2)
    assert verdict["p99_ms"] == pytest.approx((9.0 + 11.0) / 2)
    row = harness.table.cached_article_row(runs)
    assert row["pass"] is False  # 48.5 %, p99 10 ms: both miss
    assert row["ratio"] == round((0.52 + 0.45) / 2, 4)


def test_a_run_without_the_late_block_judges_the_early_runs(harness):
    runs = {
        "article, cache on": _block(
            *(_paired_run(r, 20e3, 6.0) for r in (11e3, 12e3, 13e3))
        )
    }

    verdict = harness.verdicts.cached_article_verdict(runs)

    assert (verdict["runs"], verdict["of_baseline"]) == (3, 0.6)
    assert harness.table.cached_article_row(runs)["pass"] is True


def test_a_scenario_p99_is_the_median_of_its_runs_not_the_middle_run_by_throughput(
    harness,
):
    def run(rps: float, p99: float) -> dict:
        return {"rps": rps, "p50_ms": 2.0, "p90_ms": 4.0, "p99_ms": p99, "command": ""}

    # the run with the middle throughput stalled once; the other two did not
    summary = harness.verdicts.summarize(
        [run(13_608, 7.09), run(11_836, 7.35), run(13_484, 18.47)]
    )

    assert summary["rps"] == 13_484
    assert summary["p99_ms"] == 7.35
