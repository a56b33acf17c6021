"""bench/run.py's command line: the options, the run, the results files, the table."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .paths import NGINX, RESULTS, ROOT, WRK
from .report import print_servers, print_table
from .stages import run

DESCRIPTION = (
    "Broadsheet benchmarks: wrk against the app and against nginx serving the same "
    "bytes."
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options, with --quick's and the defaults filled in."""
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    _add_size_options(parser)
    _add_scope_options(parser)
    args = parser.parse_args(argv)
    if args.articles is None:
        args.articles = 1000 if args.quick else 10_000
    if args.duration is None:
        args.duration = 3 if args.quick else 8
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.discovery_articles is None:
        args.discovery_articles = 1000 if args.quick else 100_000
    if args.export_articles is None:
        args.export_articles = (
            args.articles if args.only_export else min(args.articles, 10_000)
        )
    return args


def _add_size_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--articles",
        type=int,
        default=None,
        help="Generated articles in the big database (10,000; --quick: 1,000).",
    )
    parser.add_argument(
        "--export-articles",
        type=int,
        default=None,
        help="Articles in the static export vs Hugo (10,000, the issue's figure; "
        "--quick: 1,000). When it equals --articles (the default up to 10,000, and "
        "with --only-export) the export runs on the big database; otherwise on a "
        "corpus of that size loaded for it.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="Small corpus, 3 s runs, 1 repeat."
    )
    parser.add_argument("--duration", type=int, default=None, help="wrk seconds (8).")
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="Measured wrk runs per scenario, nginx included; the figures are "
        "medians over the runs (3; --quick: 1). The article's runs (cached, "
        "uncached) alternate with nginx's, one more nginx run closing each.",
    )
    parser.add_argument("--connections", type=int, default=64, help="wrk -c (64).")
    parser.add_argument("--workers", type=int, default=2, help="Server workers (2).")


def _add_scope_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--servers",
        action="store_true",
        help="Also compare granian with gunicorn (sync, gthread).",
    )
    parser.add_argument(
        "--only-servers",
        action="store_true",
        help="Only nginx and the server comparison (demo site; no corpus).",
    )
    parser.add_argument(
        "--gunicorn-path",
        type=Path,
        default=None,
        help="A directory holding the gunicorn package (pip install --target DIR), "
        "when gunicorn is not installed in the venv.",
    )
    parser.add_argument(
        "--no-export",
        action="store_true",
        help="Skip the static export vs Hugo (the longest part of a run).",
    )
    parser.add_argument(
        "--only-export",
        action="store_true",
        help="Only the corpus and the static export vs Hugo (no servers, no wrk).",
    )
    parser.add_argument(
        "--no-discovery",
        action="store_true",
        help="Skip search latency, related reading and the WordPress import.",
    )
    parser.add_argument(
        "--only-discovery",
        action="store_true",
        help="Only search latency (SQLite, PostgreSQL), related reading's "
        "recompute and the WordPress import (no servers, no wrk).",
    )
    parser.add_argument(
        "--discovery-articles",
        type=int,
        default=None,
        help="Generated articles searched (100,000, the issue's figure; --quick: "
        "1,000).",
    )
    parser.add_argument(
        "--discovery-dir",
        type=Path,
        default=None,
        help="Var dir for the discovery corpus, kept; reused when it holds a "
        "database already. Must match --discovery-articles.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temp directory.")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=None,
        help="Var dir for the big database, kept after the run; reused (not "
        "reloaded) when it holds a database already. Must match --articles.",
    )


def compile_bytecode() -> None:
    """Compile Broadsheet's modules as a deploy does (pip compiles what it installs).

    Without it every measured process start (an export re-run, a server) compiles
    ~100 modules from source whenever PYTHONDONTWRITEBYTECODE is set: 0.2 s here.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "compileall", "-q", str(ROOT / "broadsheet")]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def results_names(args: argparse.Namespace) -> tuple[str, str]:
    """The results files' names: the timestamped copy's suffix and the latest's."""
    name = "quick" if args.quick else f"full-{args.articles}"
    if args.only_servers:
        name = "servers"
    if args.only_export:
        name = f"export-{args.export_articles}"
    if args.only_discovery:
        name = f"discovery-{args.discovery_articles}"
    latest = "latest-quick.json" if args.quick else "latest.json"
    if args.only_servers:
        latest = "latest-servers.json"
    if args.only_export:
        latest = "latest-export.json"
    if args.only_discovery:
        latest = "latest-discovery.json"
    return name, latest


def write_results(results: dict[str, object], args: argparse.Namespace) -> None:
    """Write the results to a timestamped file and to the latest of their kind."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name, latest = results_names(args)
    (RESULTS / f"{stamp}-{name}.json").write_text(text)
    (RESULTS / latest).write_text(text)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write its results and print the table."""
    args = parse_args(argv)
    # `kill` (SIGTERM) and Ctrl-C stop every server this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for tool in () if args.only_export or args.only_discovery else (NGINX, WRK):
        if not Path(tool).exists():
            sys.exit(f"{tool} is missing: run `make system-deps` (nginx, wrk).")
    compile_bytecode()
    results = run(args)
    write_results(results, args)
    if "servers" in results:
        print()
        print_servers(results["servers"], results["runs"]["nginx: flagship file"])
    if "table" in results:
        print()
        print_table(results["table"])
    print(f"\nTotal {results['elapsed_s']} s; results in {RESULTS}/")
    if not args.keep:
        shutil.rmtree(results["tmp"], ignore_errors=True)
    return 0
