"""Finding and moving in: search latency (SQLite and PostgreSQL, next to a LIKE
scan), recomputing related reading after one publish, and the WordPress import.

Each runs as its own script (bench/search_latency.py, bench/related_recompute.py,
bench/wordpress_import.py) in a subprocess, as a user would run it, and writes its
figures as JSON that this stage reads back into the run's results.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .console import log
from .paths import BIN, ROOT
from .session import Bench
from .sites import app_env, load_corpus


def measure_discovery(bench: Bench) -> None:
    """The discovery corpus (--discovery-articles, no demo), then each scenario;
    a scenario that fails leaves an error in its place and the others run."""
    args, results = bench.args, bench.results
    n = args.discovery_articles
    var_dir = _discovery_corpus(bench, n)
    figures: dict[str, object] = {"articles": n}
    results["discovery"] = figures
    figures["search_sqlite"] = run_script(
        bench, "search_latency", ["--articles", n, "--var-dir", var_dir], var_dir
    )
    figures["search_postgresql"] = run_script(
        bench,
        "search_latency",
        ["--articles", n, "--var-dir", bench.tmp / "search-pg"],
        bench.tmp / "search-pg",
        postgres=True,
    )
    figures["related_recompute"] = run_script(
        bench, "related_recompute", ["--reuse", "--var-dir", var_dir], var_dir
    )
    figures["wordpress_import"] = run_script(
        bench,
        "wordpress_import",
        ["--posts", 1000, 10000, "--pelican-timeout", 600],
        bench.tmp,
    )


def _discovery_corpus(bench: Bench, articles: int) -> Path:
    """--discovery-dir when it holds a database already, else a corpus loaded
    into it (or into the run's temporary directory)."""
    given = bench.args.discovery_dir
    if given and (given / "broadsheet.sqlite3").exists():
        log(f"Reusing the discovery corpus in {given}")
        subprocess.run(
            [str(BIN / "broadsheet"), "manage", "migrate", "-v0"],
            env=app_env(given, cache=True),
            check=True,
        )  # a corpus kept from an older checkout gains the new tables
        return given
    var_dir = given or bench.tmp / f"discovery-{articles}"
    log(f"Loading {articles:,} generated articles into {var_dir}")
    bench.results["discovery_corpus"] = load_corpus(
        var_dir, articles, bench.logs, with_demo=False
    )
    return var_dir


def run_script(
    bench: Bench,
    name: str,
    arguments: list[object],
    var_dir: Path,
    *,
    postgres: bool = False,
) -> dict[str, object]:
    """Run bench/<name>.py with --json, on SQLite in `var_dir` or on a throwaway
    PostgreSQL cluster (tests.pgserver); returns its figures or its error."""
    out_file = bench.tmp / f"{name}{'-pg' if postgres else ''}.json"
    command = [sys.executable, str(ROOT / "bench" / f"{name}.py")]
    command += [str(a) for a in arguments] + ["--json", str(out_file)]
    if postgres:
        command = [sys.executable, "-m", "tests.pgserver", "run", "--", *command]
    label = f"{name}{' (PostgreSQL)' if postgres else ''}"
    log(f"{label}: {' '.join(command[1:])}")
    env = app_env(var_dir, cache=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    (bench.logs / f"{name}{'-pg' if postgres else ''}.log").write_text(
        done.stdout + done.stderr
    )
    if done.returncode or not out_file.exists():
        log(f"{label} failed (exit {done.returncode}): {done.stderr[-500:]}")
        return {"error": f"exit {done.returncode}: {done.stderr[-2000:]}"}
    log(done.stdout.strip()[-1500:])
    return json.loads(out_file.read_text())


def table_rows(figures: dict | None, table_row) -> list[dict[str, object]]:
    """The table's rows for the discovery stage (none when it did not run)."""
    if not figures:
        return []
    n = f"{figures['articles']:,}"
    rows = []
    for database in ("sqlite", "postgresql"):
        rows += _search_rows(figures.get(f"search_{database}") or {}, database, n)
    rows += _related_rows(figures.get("related_recompute") or {}, n)
    rows += _wordpress_rows(figures.get("wordpress_import") or {})
    return [table_row(**row) for row in rows]


def _related_rows(related: dict, n: str) -> list[dict[str, object]]:
    ms = related.get("recompute_median_ms")
    seconds = None if ms is None else round(ms / 1000, 3)
    return [
        _row(
            f"related reading recomputed after one publish ({n})",
            seconds,
            None,
            "s",
            related.get("error", "")[:200]
            or f"whole publish median {related.get('publish_median_ms')} ms",
            target="< 1 s",
            passed=None if seconds is None else seconds < 1,
        )
    ]


def _wordpress_rows(wordpress: dict) -> list[dict[str, object]]:
    if "error" in wordpress or not wordpress.get("sizes"):
        error = wordpress.get("error", "not run")[:200]
        return [_row("WordPress import", None, None, "s", error)]
    rows = []
    for size in wordpress["sizes"]:
        ours, theirs = size["broadsheet"], size.get("pelican") or {}
        under = size["posts"] < 10000 or ours["seconds"] < 60
        rows.append(
            _row(
                f"WordPress import, {size['posts']:,} posts: seconds vs pelican-import",
                ours["seconds"],
                theirs.get("seconds"),
                "s",
                f"{ours['posts_per_s']:.0f} posts/s, CPU {ours.get('cpu_seconds')} s,"
                f" peak {ours['peak_rss_mb']:.0f} MB, growth {ours['growth_mb']:.0f} MB"
                + ("" if theirs else "; pelican-import not installed"),
                target="10,000 < 60 s; memory flat",
                passed=under
                and wordpress["verdicts"].get("memory_flat", {}).get("met"),
            )
        )
    return rows


def _search_rows(search: dict, database: str, n: str) -> list[dict[str, object]]:
    if "error" in search or not search.get("queries"):
        error = search.get("error", "not run")
        return [_row(f"search p95, {database} ({n})", None, None, "ms", error[:200])]
    rows = []
    for kind, q in search["queries"].items():
        rows.append(
            _row(
                f"search {kind}, {database} ({n}): p95 vs LIKE scan p95",
                q["p95_ms"],
                q.get("like_p95_ms"),
                "ms",
                f"p50 {q['p50_ms']} ms (LIKE {q.get('like_p50_ms')} ms);"
                f" median hits {q['hits_median']:,.0f}",
                target="p95 < 30 ms",
                passed=q["p95_ms"] < 30,
            )
        )
    return rows


def _row(
    scenario: str,
    value: float | None,
    baseline: float | None,
    unit: str,
    note: str,
    *,
    target: str = "",
    passed: bool | None = None,
) -> dict[str, object]:
    return dict(
        scenario=scenario,
        value=value,
        baseline=baseline,
        unit=unit,
        target=target,
        passed=passed,
        note=note,
    )
