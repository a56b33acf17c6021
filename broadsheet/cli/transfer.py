"""Export commands: the static site (and, later, backups and Markdown)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from broadsheet.cli.progress import summary


@click.group()
def export() -> None:
    """Export the site in other forms."""


@export.command("static")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_static(directory: Path) -> None:
    """Write the public site to DIRECTORY as files served at identical URLs.

    Re-running rewrites only what changed. Fails (exit 1) when an internal link
    dangles. Serve the result with any static server that maps /path/ to
    /path/index.html (and /feed/ to /feed/index.xml).
    """
    from django.core.management import call_command

    from broadsheet.cli.serve import static_files_are_current
    from broadsheet.web.export import ExportError, StaticExport

    if not static_files_are_current():
        call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    pages = 0

    def tick(url: str) -> None:
        nonlocal pages
        pages += 1
        if pages % 250 == 0:
            click.echo(f"  {pages} pages...", err=True)

    try:
        report = StaticExport(directory, progress=tick).run()
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    summary(f"Exported {pages} pages to {directory}", report.counts())
    click.echo(f"Took {time.monotonic() - started:.1f} s.", err=True)
