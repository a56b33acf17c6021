"""The run, stage by stage, in the order bench/README.md's "What one run does" gives."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import static_export  # bench/static_export.py: `broadsheet export static` vs Hugo

from .calibration import calibrate, measure_bare_callable
from .console import log
from .discovery import measure_discovery, run_script
from .editor import measure_editor
from .paths import BROWSER_UA, FLAGSHIP, TAG
from .processes import Process, fetch, worker_rss
from .render import full_speed_render
from .servers import check_page, compare_servers, start_nginx
from .session import Bench
from .sites import app_env, corpus_database, load_demo
from .table import build_table, discovery_table, export_table


def run(args: argparse.Namespace) -> dict[str, object]:
    """Run the stages the options ask for; returns the results (the JSON)."""
    started = time.perf_counter()
    bench = Bench(args)
    try:
        if args.only_export:  # the corpus, the export and Hugo; nothing else
            export_only(bench)
        elif args.only_discovery:
            measure_discovery(bench)
        else:
            measure_sites(bench)
            if not (args.no_discovery or args.only_servers):
                measure_discovery(bench)
    finally:
        bench.stop_all()
    results = bench.results
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["machine"]["loadavg_after"] = os.getloadavg()
    if args.only_export:
        results["table"] = export_table(results, args)
    elif args.only_discovery:
        results["table"] = discovery_table(results)
    elif not args.only_servers:
        results["table"] = build_table(
            results, bench.runs["nginx: flagship file"], args
        )
    return results


def measure_sites(bench: Bench) -> None:
    """Every stage but --only-export's: the cold render (sampled three times), the
    demo site, the big database, the late block, the export, the server comparison."""
    args = bench.args
    bench.sample_render("at the start")
    server, base, body = open_demo_site(bench)
    if args.only_servers:
        bench.measure_nginx("before")
        bench.stop(server)
    else:
        measure_demo_cached(bench, server, base)
        measure_server_ceiling(bench, body)
        bench.sample_render("after the demo site's cached pages")
        measure_demo_uncached(bench)
        measure_editor_requests(bench)
        measure_render_scaling(bench)
        big_dir = measure_big_database(bench)
        measure_late_block(bench)
        bench.stop(bench.nginx)
        bench.sample_render("after the big database's pages")
        if not args.no_export:
            measure_export(bench, big_dir)
    bench.results["cold_render"] = full_speed_render(bench.render_samples)
    if args.servers or args.only_servers:  # docs/decisions/0003-server.md
        flagship_file = bench.tmp / "nginx" / "root" / "flagship.html"
        bench.results["servers"] = compare_servers(
            args, bench.demo_dir, flagship_file, bench.wrk, bench.logs
        )
    if args.only_servers:
        bench.measure_nginx("after")


def open_demo_site(bench: Bench) -> tuple[Process, str, bytes]:
    """Load the demo site and serve it, cache on; fetch the flagship's bytes and
    start nginx serving them. Returns (server, base URL, the flagship's bytes)."""
    log(f"Loading the demo site into {bench.demo_dir}")
    load_demo(bench.demo_dir, bench.logs)
    server, base = bench.start(bench.demo_dir, cache=True)
    status, headers, body = fetch(base + FLAGSHIP)
    bench.results["flagship"] = {
        "status": status,
        "bytes": len(body),
        "headers": {k: v for k, v in headers.items() if k.lower() != "set-cookie"},
    }
    log(f"flagship: {status}, {len(body):,} bytes")
    nginx, bench.nginx_base = start_nginx(bench.tmp / "nginx", body)
    bench.nginx = nginx
    (bench.tmp / "nginx" / "root" / "flagship.html").write_bytes(body)
    bench.procs.append(nginx)
    _, _, nginx_body = fetch(bench.nginx_base + FLAGSHIP)
    assert nginx_body == body, "nginx does not serve the same bytes"
    return server, base, body


def measure_demo_cached(bench: Bench, server: Process, base: str) -> None:
    """The demo site, cache on: the article between nginx runs (decision 0008,
    stop 14), with a browser User-Agent, the home page; then the server stops."""
    bench.measure_paired("article, cache on", base + FLAGSHIP, server, cached=True)
    bench.measure(
        "article, cache on, browser UA",
        base + FLAGSHIP,
        server,
        cached=True,
        headers={"User-Agent": BROWSER_UA},
    )
    bench.measure("home, cache on (demo)", base + "/", server, cached=True)
    bench.stop(server)


def measure_server_ceiling(bench: Bench, body: bytes) -> None:
    """granian with a bare WSGI callable returning the same bytes (its p99 says how
    much of ours is the machine's), then the calibration at the issue's page size."""
    measure_bare_callable(
        bench, "bare WSGI callable, same bytes", body, FLAGSHIP, var_dir=bench.demo_dir
    )
    bench.results["calibration"] = calibrate(bench, body)


def measure_demo_uncached(bench: Bench) -> None:
    """The demo site, cache off: the article between nginx runs, and with a
    browser User-Agent."""
    server, base = bench.start(bench.demo_dir, cache=False)
    bench.measure_paired("article, cache off", base + FLAGSHIP, server, cached=False)
    bench.measure(
        "article, cache off, browser UA",
        base + FLAGSHIP,
        server,
        cached=False,
        headers={"User-Agent": BROWSER_UA},
    )
    bench.stop(server)


def measure_editor_requests(bench: Bench) -> None:
    """The writing editor on the demo site, no server running: the flagship's live
    preview and opening the editor, in-process (harness/editor.py)."""
    log("The editor: the flagship's live preview, opening the editor")
    try:
        bench.results["editor"] = measure_editor(bench.demo_dir, bench.logs)
    except Exception as exc:  # noqa: BLE001 (keep the other figures of the run)
        log(f"editor scenario failed: {exc}")
        bench.results["editor"] = {"error": str(exc)}
        return
    for name, figures in bench.results["editor"].items():
        log(f"editor {name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")


def measure_render_scaling(bench: Bench) -> None:
    """Render time against input size, ordinary and hostile inputs (in-process)."""
    figures = run_script(bench, "render_scaling", [], bench.tmp)
    bench.results["render_scaling"] = figures
    if "error" in figures:
        return
    for kind, f in figures.items():
        log(f"{kind}: {f['growth_per_doubling']} a doubling; linear: {f['linear']}")


def measure_big_database(bench: Bench) -> Path:
    """The demo plus --articles generated articles, cache on then off; returns its
    var dir."""
    args = bench.args
    big_dir = corpus_database(args, args.articles, bench.tmp, bench.logs, bench.results)
    bench.results["corpus_pages"] = {}
    for cache in (True, False):
        _measure_big_site(bench, big_dir, cache=cache)
    return big_dir


def _measure_big_site(bench: Bench, big_dir: Path, *, cache: bool) -> None:
    args, results = bench.args, bench.results
    n = f"{args.articles:,}"
    label = "on" if cache else "off"
    server, base = bench.start(big_dir, cache=cache)
    for path in (FLAGSHIP, "/", TAG):
        results["corpus_pages"][f"{path} cache {label}"] = check_page(base, path)
    for page, path in (
        ("article", FLAGSHIP),
        ("home", "/"),
        ("tag page", TAG),
    ):
        bench.measure(f"{page}, cache {label} ({n})", base + path, server, cached=cache)
    if cache:  # a deep page: an OFFSET in the middle of the corpus
        deep = max(2, (args.articles + 46) // 20)
        bench.measure(
            f"home /page/{deep}/, cache on ({n})",
            base + f"/page/{deep}/",
            server,
            cached=True,
        )
    results[f"rss_cache_{label}"] = worker_rss(server)
    bench.stop(server)


def measure_late_block(bench: Bench) -> None:
    """The demo's cached article again, minutes later, between nginx runs: its
    targets are judged on the runs of both blocks (see cached_article_verdict)."""
    server, base = bench.start(bench.demo_dir, cache=True)
    bench.measure_paired(
        "article, cache on (late)", base + FLAGSHIP, server, cached=True
    )
    bench.stop(server)


def measure_export(bench: Bench, big_dir: Path) -> None:
    """The static export next to Hugo: on the big database when it has
    --export-articles articles, else on a corpus of that size of its own."""
    args, results = bench.args, bench.results
    if args.export_articles != args.articles:
        export_results: dict[str, object] = {}
        export_dir = corpus_database(
            args, args.export_articles, bench.tmp, bench.logs, export_results
        )
        results["export_corpus"] = export_results["corpus"]
    else:
        export_dir = big_dir
    results["static_export"] = run_static_export(bench, export_dir)


def export_only(bench: Bench) -> None:
    """--only-export: a corpus of --export-articles articles, the export and Hugo."""
    args = bench.args
    big_dir = corpus_database(
        args, args.export_articles, bench.tmp, bench.logs, bench.results
    )
    bench.results["static_export"] = run_static_export(bench, big_dir)


def run_static_export(bench: Bench, var_dir: Path) -> dict:
    """`broadsheet export static` of a corpus database (full, then after one
    edit) and Hugo building the same generated corpus from Markdown."""
    n = bench.args.export_articles
    log(f"Static export of {n:,} articles vs Hugo ({var_dir})")
    try:
        return static_export.static_export_vs_hugo(
            var_dir, n, bench.tmp, app_env(var_dir, cache=True), bench.logs, log
        )
    except Exception as exc:  # noqa: BLE001 (keep the other figures of the run)
        log(f"static export scenario failed: {exc}")
        return {"error": str(exc)}
