"""The servers measured: Broadsheet (or a bare WSGI callable) under granian or gunicorn,
nginx serving the same bytes, and the server comparison (decision 0003)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from .console import log
from .paths import BIN, FLAGSHIP, NGINX, ROOT
from .processes import Process, fetch, free_port, wait_http, worker_rss
from .report import report
from .sites import app_env
from .verdicts import summarize
from .wrk import Wrk

NGINX_CONF = """\
daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/html;
    types {{ text/html html; }}
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/root;
        location / {{ index index.html; }}
    }}
}}
"""

BARE_APP = """\
import os

BODY = open(os.environ["BENCH_BARE_BODY"], "rb").read()
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
"""


def start_broadsheet(
    var_dir: Path,
    *,
    cache: bool,
    workers: int,
    logs: Path,
    server: str = "granian",
    bare_body: Path | None = None,
) -> tuple[Process, str]:
    """Start Broadsheet (or, with bare_body, a bare WSGI callable) under `server`."""
    port = free_port()
    env = app_env(var_dir, cache=cache)
    # Start cold: pages cached by an earlier server (file cache under the var dir)
    # would otherwise be served even with BROADSHEET_PAGE_CACHE=0.
    shutil.rmtree(var_dir / "cache", ignore_errors=True)
    app = "broadsheet.wsgi:application"
    paths = [str(ROOT)]
    if bare_body is not None:
        (bare_body.parent / "bench_bare.py").write_text(BARE_APP)
        env["BENCH_BARE_BODY"] = str(bare_body)
        app = "bench_bare:application"
        paths = [str(bare_body.parent)]
    bare = bare_body is not None
    args = _server_args(server, port=port, workers=workers, app=app, bare=bare)
    if server == "granian" and bare:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    elif server.startswith("gunicorn"):
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (env.get("GUNICORN_PATH", ""), *paths) if p
        )
    name = f"{server}-{'cache' if cache else 'nocache'}-{var_dir.name}"
    if bare_body is not None:
        name = f"{server}-bare"
    proc = Process(args, env=env, log_path=logs / f"{name}.log", cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/", proc.proc, timeout=120)
    except Exception:
        proc.stop()
        raise
    return proc, base


def _server_args(server: str, *, port: int, workers: int, app: str, bare: bool):
    if server == "granian" and not bare:
        return [BIN / "broadsheet", "serve", "--port", port, "--workers", workers]
    if server == "granian":
        return [
            BIN / "granian", "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", port, "--workers", workers, "--no-ws",
            # as `broadsheet serve` runs granian (decision 0003)
            "--blocking-threads", "1",
            "--log-level", "warning", app,
        ]  # fmt: skip
    if server.startswith("gunicorn"):
        # same WSGI app; static files were collected by an earlier granian start
        worker_class = "gthread" if server == "gunicorn-gthread" else "sync"
        return [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{port}",
            "--workers", workers,
            "--worker-class", worker_class,
            *(["--threads", "4"] if worker_class == "gthread" else []),
            "--backlog", "2048",
            "--log-level", "warning",
            app,
        ]  # fmt: skip
    raise ValueError(server)


def start_nginx(tmp: Path, body: bytes) -> tuple[Process, str]:
    """Start nginx serving `body` at the flagship's URL from a file under `tmp`."""
    port = free_port()
    target = tmp / "root" / FLAGSHIP.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port))
    proc = Process([NGINX, "-p", tmp, "-c", conf], log_path=tmp / "nginx.out", cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + FLAGSHIP, proc.proc, timeout=20)
    except Exception:
        proc.stop()
        raise
    return proc, base


def check_page(base: str, path: str) -> dict[str, object]:
    """Status, size, type and cache header of `path`'s second answer."""
    fetch(base + path)  # the first request fills the cache
    status, headers, body = fetch(base + path)
    headers = {k.lower(): v for k, v in headers.items()}
    return {
        "status": status,
        "bytes": len(body),
        "content_type": headers.get("content-type"),
        "x_broadsheet_cache": headers.get("x-broadsheet-cache"),
    }


def compare_servers(
    args: argparse.Namespace, demo_dir: Path, body_file: Path, wrk: Wrk, logs: Path
) -> dict[str, object]:
    """Each server with 2 workers: a bare WSGI callable returning the flagship's
    bytes, then Broadsheet with the page cache on and off."""
    figures: dict[str, object] = {}
    if args.gunicorn_path:
        os.environ["GUNICORN_PATH"] = str(args.gunicorn_path)
    for server_name in ("granian", "gunicorn", "gunicorn-gthread"):
        for mode in ("bare", "cache on", "cache off"):
            label = f"{server_name}, {mode}"
            try:
                proc, base = start_broadsheet(
                    demo_dir,
                    cache=mode != "cache off",
                    workers=args.workers,
                    logs=logs,
                    server=server_name,
                    bare_body=body_file if mode == "bare" else None,
                )
            except Exception as exc:  # noqa: BLE001 (report and go on)
                figures[label] = {"error": str(exc)}
                log(f"{label}: {exc}")
                continue
            try:
                figures[label] = _measure_server(wrk, label, mode, proc, base)
            finally:
                proc.stop()
    return figures


def _measure_server(
    wrk: Wrk, label: str, mode: str, proc: Process, base: str
) -> dict[str, object]:
    entry: dict[str, object] = {}
    pages = [("article", FLAGSHIP), ("home", "/")]
    for page, path in pages[:1] if mode == "bare" else pages:
        warmup, series = wrk.series(
            f"{label} {page}",
            base + path,
            cached=mode != "cache off",
            server=proc,
        )
        result = summarize(series, warmup=warmup)
        entry[page] = result
        report(f"{label}, {page}", result)
    entry["rss"] = worker_rss(proc)
    return entry
