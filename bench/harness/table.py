"""The table of targets (issue 5): per scenario its figure, baseline and verdict."""

from __future__ import annotations

import argparse

import static_export  # bench/static_export.py: `broadsheet export static` vs Hugo

from . import discovery, editor
from .calibration import machine_speed
from .render import FULL_SPEED_FACTOR
from .verdicts import CACHED_BLOCKS, cached_article_verdict
from .wrk import errors_of


def table_row(
    scenario: str,
    value: float | None,
    baseline: float | None,
    *,
    unit: str,
    target: str,
    passed: bool | None,
    p99: float | None = None,
    note: str = "",
    spread: str | None = None,
    ratio: float | None = None,
) -> dict[str, object]:
    """One row of the table; `ratio` defaults to value / baseline."""
    if ratio is None and value is not None and baseline:
        ratio = value / baseline
    ratio = None if ratio is None else round(ratio, 4)
    return {
        "scenario": scenario,
        "broadsheet": value,
        "baseline": baseline,
        "unit": unit,
        "ratio": ratio,
        "p99_ms": p99,
        "runs_spread": spread,
        "target": target,
        "pass": passed,
        "note": note,
    }


def wrk_row(
    scenario: str,
    result: dict[str, object],
    baseline: float | None,
    *,
    target: str,
    passed: bool | None,
    note: str = "",
    ratio: float | None = None,
) -> dict[str, object]:
    """A table row for a wrk scenario: its median req/s, p99, spread and errors.

    A row that passes fails all the same when any of its runs saw errors.
    """
    return table_row(
        scenario,
        result["rps"],
        baseline,
        unit="req/s",
        target=target,
        passed=None if passed is None else passed and not errors_of(result),
        p99=result["p99_ms"],
        spread=spread_text(result),
        note="; ".join(filter(None, (_err_note(result), note))),
        ratio=ratio,
    )


def cached_article_row(runs: dict[str, dict]) -> dict[str, object]:
    """The cached article's row: both blocks' runs, each against its nginx."""
    verdict = cached_article_verdict(runs)
    blocks = {name: runs[name] for name in CACHED_BLOCKS if name in runs}
    errors = "; ".join(filter(None, (_err_note(b) for b in blocks.values())))
    ratio, p99 = verdict["of_baseline"], verdict["p99_ms"]
    return table_row(
        "article, page cache on",
        verdict["rps"],
        verdict["baseline_rps"],
        unit="req/s",
        target=">= 50 % of nginx, p99 < 10 ms",
        passed=ratio >= 0.5 and p99 < 10 and not errors,
        p99=p99,
        ratio=ratio,
        spread=f"{verdict['runs']} in {len(blocks)} blocks",
        note=(errors + "; " if errors else "")
        + f"medians of {verdict['runs']} runs, each against nginx's runs just "
        "before and after it (its req/s, p99, ratio): "
        + "; ".join(f"{name}: {_ratios_text(b['runs'])}" for name, b in blocks.items()),
    )


def _ratios_text(runs: list[dict[str, object]]) -> str:
    return ", ".join(
        f"{float(r['rps']):,.0f} / {float(r['baseline_rps']):,.0f} = "
        f"{float(r['of_baseline']) * 100:.1f} % (p99 {r['p99_ms']})"
        for r in runs
    )


def spread_text(result: dict[str, object]) -> str:
    """Table cell for a wrk scenario: its run count and the runs' req/s spread
    ((max - min) / the median run's req/s)."""
    if result.get("repeats", 1) < 2 or result.get("rps_spread_pct") is None:
        return str(result.get("repeats", 1))
    return f"{result['repeats']}, {result['rps_spread_pct']:.0f} %"


def build_table(
    results: dict, nginx: dict, args: argparse.Namespace
) -> list[dict[str, object]]:
    """The table of a run with the servers: every target, in the issue's order."""
    runs = results["runs"]
    n = f"{args.articles:,}"
    rows = [_nginx_row(results, nginx)]
    runs["nginx: flagship file"]["pass"] = None  # the baseline has no target
    rows.append(cached_article_row(runs))
    rows += _bare_callable_rows(results, nginx["rps"])
    rows += _demo_rows(runs, nginx["rps"])
    rows += _big_database_rows(runs, n)
    rows.append(_cold_render_row(results["cold_render"]))
    rows += editor.table_rows(results.get("editor"), table_row)
    scaling = results.get("render_scaling") or {}
    rows += [] if "error" in scaling else _render_scaling_rows(scaling)
    rows += _rss_rows(results, n)
    n_export = f"{args.export_articles:,}"
    if "static_export" in results:
        rows += static_export.table_rows(results["static_export"], n_export, table_row)
    else:
        rows.append(
            table_row(
                f"static export ({n_export} articles) vs Hugo",
                None,
                None,
                unit="s",
                target="<= Hugo's time, < 1/3 of Hugo's memory",
                passed=None,
                note="not run (--no-export)",
            )
        )
    rows += discovery.table_rows(results.get("discovery"), table_row)
    return rows


def _render_scaling_rows(figures: dict) -> list[dict[str, object]]:
    return [
        table_row(
            f"render of {kind}: CPU time growth per doubling of the input",
            f["growth_per_doubling"],
            2.0,
            unit="x",
            target="linear (time per KB at 8x the size within 1.5x)",
            passed=f["linear"],
            note=f"{f['bytes'][0] / 1024:.0f}-{f['bytes'][-1] / 1024:.0f} KB:"
            f" {f['cpu_ms'][0]}-{f['cpu_ms'][-1]} ms",
        )
        for kind, f in figures.items()
    ]


def discovery_table(results: dict) -> list[dict[str, object]]:
    """The table of an --only-discovery run."""
    return discovery.table_rows(results.get("discovery"), table_row)


def export_table(results: dict, args: argparse.Namespace) -> list[dict[str, object]]:
    """The table of an --only-export run: the static export's rows."""
    return static_export.table_rows(
        results["static_export"], f"{args.export_articles:,}", table_row
    )


def _nginx_row(results: dict, nginx: dict) -> dict[str, object]:
    blocks = nginx.get("blocks", [])
    return table_row(
        "nginx: flagship bytes from a file",
        None,
        nginx["rps"],
        unit="req/s",
        target="baseline",
        passed=None,
        p99=nginx["p99_ms"],
        spread=spread_text(nginx),
        note=f"{results['flagship']['bytes']:,} bytes; median of "
        f"{nginx['repeats']} runs in {len(blocks)} blocks: " + "; ".join(blocks),
    )


def _bare_callable_rows(results: dict, nginx_rps: float) -> list[dict[str, object]]:
    runs = results["runs"]
    bare = runs.get("bare WSGI callable, same bytes")
    if not bare:
        return []
    early = runs["article, cache on"]
    return [
        wrk_row(
            "bare WSGI callable under granian, same bytes",
            bare,
            nginx_rps,
            target="(the server's ceiling)",
            passed=None,
            note=_err_note(bare)
            or f"the early cached article is {early['rps'] / bare['rps'] * 100:.0f}"
            " % of it"
            + machine_speed(results.get("calibration")),
        )
    ]


def _demo_rows(runs: dict, nginx_rps: float) -> list[dict[str, object]]:
    early = runs["article, cache on"]
    browser = runs["article, cache on, browser UA"]
    off = runs["article, cache off"]
    paired = off["paired"]
    return [
        wrk_row(
            "article, cache on, browser UA (counts views)",
            browser,
            nginx_rps,
            target="(shows counting cost)",
            passed=None,
            note=_err_note(browser)
            or f"{browser['rps'] / early['rps'] * 100:.0f} % of the bot-UA figure"
            " (early block)",
        ),
        wrk_row(
            "article, page cache off",
            off,
            paired["baseline_rps"],
            target=">= 5 % of nginx",
            passed=paired["of_baseline"] >= 0.05,
            ratio=paired["of_baseline"],
            note=f"ratio: median of {paired['runs']} runs, each against nginx's "
            f"runs just before and after it: {_ratios_text(off['runs'])}",
        ),
        wrk_row(
            "article, cache off, browser UA",
            runs["article, cache off, browser UA"],
            nginx_rps,
            target="(shows counting cost)",
            passed=None,
        ),
    ]


def _big_database_rows(runs: dict, n: str) -> list[dict[str, object]]:
    rows = []
    big_article = runs[f"article, cache on ({n})"]
    for page in ("home", "tag page"):
        result = runs[f"{page}, cache on ({n})"]
        rows.append(
            wrk_row(
                f"{page}, cache on, {n} articles",
                result,
                big_article["rps"],
                target=">= 90 % of article page",
                passed=result["rps"] >= 0.9 * big_article["rps"],
                note=f"baseline: article page on the same database "
                f"({big_article['rps']:,.0f} req/s)" + _err_note(result, lead="; "),
            )
        )
    for page in ("home", "tag page"):
        rows.append(
            wrk_row(
                f"{page}, cache off, {n} articles",
                runs[f"{page}, cache off ({n})"],
                runs[f"article, cache off ({n})"]["rps"],
                target="(informational)",
                passed=None,
            )
        )
    return rows


def _cold_render_row(render: dict) -> dict[str, object]:
    return table_row(
        "cold render of the flagship",
        render["median_ms"],
        render["bare_markdown_it_median_ms"],
        unit="ms",
        target="< 20 ms",
        passed=render["median_ms"] < 20,
        note=f"{render['words']:,} words, {render['notes']} notes; baseline: "
        "markdown-it-py alone (CommonMark, no plugins) on the same source, "
        "timed straight after each render; " + render_samples_note(render),
    )


def _rss_rows(results: dict, n: str) -> list[dict[str, object]]:
    rows = []
    for label in ("on", "off"):
        procs = results[f"rss_cache_{label}"]["processes"]
        workers = [p["rss_mb"] for p in procs if p["role"] == "worker"]
        main = [p["rss_mb"] for p in procs if p["role"] == "main"]
        peak = max(workers) if workers else None
        rows.append(
            table_row(
                f"RSS per worker, cache {label}, {n} articles",
                peak,
                None,
                unit="MB",
                target="< 120 MB",
                passed=None if peak is None else peak < 120,
                note=f"workers {workers} MB, main process {main} MB",
            )
        )
    return rows


def render_samples_note(render: dict[str, object]) -> str:
    """The cold render row's note: what was judged, and every sample."""
    samples = render["samples"]
    each = ", ".join(
        f"{s['median_ms']} ms (markdown-it-py {s['bare_markdown_it_median_ms']}) "
        f"{s['when']}"
        for s in samples
    )
    return (
        f"median of the {render['judged_renders']} of {render['repeats']} renders "
        f"timed at full speed (markdown-it-py alone within {FULL_SPEED_FACTOR}x of "
        f"its fastest just before and after); median of all {render['repeats']}: "
        f"{render['all_median_ms']} ms (markdown-it-py "
        f"{render['all_bare_median_ms']}); samples of "
        f"{samples[0]['repeats']}: {each}"
    )


def _err_note(result: dict[str, object], lead: str = "") -> str:
    errors = errors_of(result)
    if not errors and float(result["rps"]) < 2:
        return (
            f"{lead}{result.get('requests', 0)} responses in the median run: "
            "requests queue up behind slower ones"
        )
    if not errors:
        return ""
    return (
        f"{lead}{result.get('non_2xx_3xx', 0)} non-2xx/3xx responses, "
        f"socket errors {result.get('socket_errors')}"
    )
