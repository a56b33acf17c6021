"""Import and export commands: WordPress in, the static site out (more to come)."""

from __future__ import annotations

import os
import time
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

import click

from broadsheet.cli.progress import progress_to, summary


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
    dangles. Pages are rendered by --jobs worker processes. Links are absolute
    where they must be (feeds, sitemaps, canonical links) and use
    BROADSHEET_SITE_URL: set it to the public address before exporting.

    \b
    The server needs three mappings (nginx: `index index.html index.xml;`
    and `error_page 404 /404.html;`):
      /path/  -> /path/index.html
      /feed/  -> /feed/index.xml   (and /feed/atom/)
      missing -> /404.html, status 404
    `python -m http.server` does the first only: fine for a look at the
    pages, but it lists the /feed/ directories instead of serving the feeds.
    """
    from django.conf import settings

    from broadsheet.cli.serve import static_files_are_current
    from broadsheet.export.crawl import ExportError, StaticExport

    if is_local_address(settings.BROADSHEET_SITE_URL):
        click.echo(
            f"Warning: BROADSHEET_SITE_URL is {settings.BROADSHEET_SITE_URL}, a local"
            " address: feeds, the sitemap and canonical links will point there."
            " Set it to the public address for an export to publish.",
            err=True,
        )

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


def is_local_address(url: str) -> bool:
    """Whether `url` names this machine, as the default site address does."""
    host = urlsplit(url).hostname or ""
    return host in {"localhost", "127.0.0.1", "::1", "0.0.0.0"} or host.endswith(
        ".localhost"
    )


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


@click.group("import")
def import_() -> None:
    """Import content from other platforms."""


@import_.command("wordpress")
@click.argument(
    "export_file",
    metavar="EXPORT.xml",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--dry-run", is_flag=True, help="Do and report everything, then save nothing."
)
@click.option(
    "--media-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A copy of the site's wp-content/uploads folder: its images enter the"
    " media library.",
)
@click.option(
    "--create-accounts",
    is_flag=True,
    help="Also give each author a newsroom account (role Author, no usable"
    " password) linked to their byline.",
)
def import_wordpress(
    export_file: Path, dry_run: bool, media_dir: Path | None, create_accounts: bool
) -> None:
    """Import posts, pages, authors, categories, tags and view counts from a
    WordPress export (WXR 1.1 or 1.2, Tools > Export in WordPress).

    Everything goes in one transaction: a file that cannot be read imports
    nothing, and the error names its line. Running the same export again
    updates what it imported before, except what an editor changed since.
    Posts that cannot be published (note problems, a password, no author) come
    in as drafts. With --media-dir, attachments found there enter the media
    library and posts show them. The report lists every unknown shortcode
    removed (with post and line), every note problem, every media file not in
    the library, and what was skipped.
    """
    from broadsheet.migration.wordpress.load import import_wordpress as run
    from broadsheet.migration.wordpress.wxr import WxrParseError

    make_account = None
    if create_accounts:
        from broadsheet.editorial.accounts import account_for_writer

        def make_account(login, author, email):
            return account_for_writer(login, author, email=email)

    size = export_file.stat().st_size
    try:
        with progress_to(label="Importing", length=size) as move:
            report = run(
                export_file,
                dry_run=dry_run,
                progress=move,
                media_dir=media_dir,
                make_account=make_account,
            )
    except WxrParseError as error:
        raise click.ClickException(f"{error}; nothing imported") from error
    for line in report.lines():
        click.echo(line)
