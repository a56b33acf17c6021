"""Export commands: the static site (and, later, backups and Markdown)."""

from __future__ import annotations

import os
import time
from multiprocessing import get_context
from pathlib import Path

import click

from broadsheet.cli.progress import summary


@click.group()
def export() -> None:
    """Export the site in other forms."""


@export.command("static")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="number of cores",
    help="Worker processes rendering pages.",
)
def export_static(directory: Path, jobs: int) -> None:
    """Write the public site to DIRECTORY as files served at identical URLs.

    Re-running rewrites only what changed. Fails (exit 1) when an internal link
    dangles. Serve the result with any static server that maps /path/ to
    /path/index.html (and /feed/ to /feed/index.xml). Pages are rendered by
    --jobs worker processes.
    """
    from broadsheet.cli.serve import static_files_are_current
    from broadsheet.web.export import ExportError, StaticExport

    if not static_files_are_current():
        collect_static_in_a_child()
    started = time.monotonic()
    pages = 0

    def tick(url: str) -> None:
        nonlocal pages
        pages += 1
        if pages % 250 == 0:
            click.echo(f"  {pages} pages...", err=True)

    try:
        report = StaticExport(
            directory,
            progress=tick,
            notice=lambda line: click.echo(line, err=True),
            jobs=jobs,
        ).run()
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    summary(f"Exported {pages} pages to {directory}", report.counts())
    click.echo(f"Took {time.monotonic() - started:.1f} s.", err=True)


def collect_static_in_a_child() -> None:
    """Run collectstatic in a forked child that exits when done.

    It leaves ~50 MB of hashing and compression garbage in the process that runs
    it; the export and the workers it forks would all carry that to the end.
    """
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()  # the child must not share the parent's connection
    child = get_context("fork").Process(
        target=call_command,
        args=("collectstatic",),
        kwargs={"interactive": False, "verbosity": 0},
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise click.ClickException("collectstatic failed (see above).")
