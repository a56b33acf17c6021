"""`broadsheet serve`: the production server (see docs/decisions/0003-server.md)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to bind.")
@click.option(
    "--workers",
    default=os.cpu_count() or 1,
    show_default="number of cores",
    type=click.IntRange(min=1),
    help="Worker processes.",
)
@click.option(
    "--threads",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Python threads per worker; more let a slow page share its worker.",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Print one line per request (address, request line, status, milliseconds)"
    " to standard error.",
)
def serve(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    """Serve the site with a production server (granian, DEBUG off).

    Warnings and errors go to standard error; with --access-log every request does
    too, as `[time] address - "GET /path HTTP/1.1" status milliseconds`.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from broadsheet.pagecache.store import invalidate, prune_journal
    from broadsheet.publishing.surfaces import EVERYTHING

    if settings.DEBUG and settings.IS_PRODUCTION:
        raise click.ClickException("DEBUG must be off when BROADSHEET_ENV=production.")
    if not static_files_are_current():
        call_command("collectstatic", interactive=False, verbosity=0)
    try:
        # Cached pages name fingerprinted assets; a (re)start may bring new ones.
        invalidate({EVERYTHING})
        prune_journal()
    except DatabaseError as error:
        # The pages are retired (the cache holds their versions); only the journal
        # row is missing. A database that takes no writes still has readers' pages.
        click.echo(
            f"Warning: the database refused a write ({error}); serving its pages"
            " anyway, and saves will be refused until it takes writes again.",
            err=True,
        )
    granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
    args = [
        granian,
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        # One thread per worker by default: threads share one interpreter lock, so
        # a second one only adds switching (cached pages ~18 % faster with one) and a
        # database connection (granian's default 256 grew workers to 400 MB).
        # See docs/decisions/0003-server.md.
        "--blocking-threads", str(threads),
        # No --backpressure: granian caps *connections* per worker with it, and idle
        # keep-alive readers would lock out the next one (decision 0003).
        "--no-ws",
        "--log-level", "warning",
        "--access-log" if access_log else "--no-access-log",
        "broadsheet.wsgi:application",
    ]  # fmt: skip
    click.echo(
        f"Serving Broadsheet on http://{host}:{port}/ with {workers} worker(s)"
        f" of {threads} thread(s)."
    )
    sys.stdout.flush()
    os.environ.setdefault("DEBUG", "0")
    # Each worker publishes scheduled articles when due (publishing.scheduler).
    os.environ.setdefault("BROADSHEET_RUN_SCHEDULER", "1")
    os.execv(args[0], args)


def static_files_are_current() -> bool:
    """Tell whether collectstatic's output is newer than every source static file.

    collectstatic re-hashes and re-compresses everything (seconds), which would
    dominate an incremental export of one changed article.
    """
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return False
    return True
