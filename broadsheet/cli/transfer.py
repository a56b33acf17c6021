"""Import and export commands: WordPress and Markdown folders in, the static site
and Markdown out, backup and restore."""

from __future__ import annotations

import contextlib
import getpass
import os
import time
from collections.abc import Mapping
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

import click

from broadsheet.cli.progress import counter, phases, progress_to, summary


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


@export.command("markdown")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_markdown(directory: Path) -> None:
    """Write every article and page to DIRECTORY as Markdown with YAML front
    matter (content/posts/SLUG.md, content/SLUG.md), and the site bibliography
    as bibliography.bib. `broadsheet import markdown` reads it back."""
    from broadsheet.migration.markdown_export import export_markdown as run
    from broadsheet.migration.markdown_export import total

    with counter(label="Exporting", length=total()) as step:
        counts = run(directory, progress=lambda done: step(1))
    summary(f"Exported to {directory}", counts)


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
    if not dry_run:
        _audit("imported", f"WordPress export {export_file.name}", report.counts)


@import_.command("markdown")
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--dry-run", is_flag=True, help="Do and report everything, then save nothing."
)
def import_markdown(directory: Path, dry_run: bool) -> None:
    """Import a folder of Markdown with YAML (---), TOML (+++) or JSON front matter:
    a Hugo site (content/posts/ are articles, other sections pages), a Jekyll
    site (_posts/ and _drafts/ are articles, other pages with front matter are
    pages) or a plain folder (every file an article).

    Everything goes in one transaction: a malformed file (front matter, date,
    author, encoding) imports nothing, and the error names its file and line.
    Aliases become redirects, `bibliography:` files join the site bibliography,
    Hugo shortcodes and Liquid tags are removed and listed. Running the same
    folder again updates what it imported, except what an editor changed since.
    """
    from broadsheet.migration.markdown_folder import (
        MarkdownFolderError,
        import_markdown_folder,
    )

    with contextlib.ExitStack() as stack:
        steps: list = []

        def opened(files: int) -> None:  # the bar's length is known once read
            steps.append(stack.enter_context(counter(label="Importing", length=files)))

        try:
            report = import_markdown_folder(
                directory,
                dry_run=dry_run,
                on_read=opened,
                progress=lambda done: steps[0](1),
            )
        except MarkdownFolderError as error:
            problems = "\n  ".join(str(problem) for problem in error.problems)
            raise click.ClickException(f"nothing imported:\n  {problems}") from error
    for line in report.lines():
        click.echo(line)
    if not dry_run:
        _audit("imported", f"Markdown folder {directory.name}", report.counts)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
def backup(file: Path, overwrite: bool) -> None:
    """Write the whole site to FILE (.tar.gz, or .tar uncompressed): articles,
    pages, authors, terms, the bibliography, redirects, view counts, media
    files, accounts and newsroom history, with a manifest of counts and
    checksums.

    The site may go on being written to: the backup reads one moment of the
    database. FILE appears only once complete. Buffered views are flushed into
    the database first. Restore it with `broadsheet restore FILE`.
    """
    from broadsheet.migration.backup import BackupError, backup_site
    from broadsheet.readership.counting import flush_views

    if file.exists() and not overwrite:
        raise click.ClickException(f"{file} exists; pass --overwrite to replace it")
    flush_views()
    try:
        with phases() as (start, move):
            report = backup_site(
                file, sizing=lambda n: start("Backing up", n), progress=move
            )
    except BackupError as error:
        raise click.ClickException(f"{error}; no backup written") from error
    except OSError as error:  # a full disk, a read-only one
        message = f"{_os_problem(error, file)}; no backup written"
        raise click.ClickException(message) from error
    for name in report.missing_media:
        click.echo(
            f"Warning: media file {name} is missing; not in the backup", err=True
        )
    summary(f"Backed up to {file}", report.counts())


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Delete the site this database holds, then restore FILE over it.",
)
def restore(file: Path, replace: bool) -> None:
    """Restore the site from a backup FILE made by `broadsheet backup`.

    Into a fresh install (it migrates an empty database first); a database that
    holds a site already is refused unless --replace. The whole file is checked
    first, then everything is loaded in one transaction: a damaged file, one made
    by a newer Broadsheet or at other migrations, or a row that does not load
    changes nothing. The search index is rebuilt and cached pages retired.
    """
    from broadsheet.migration.backup import BackupError, restore_site

    try:
        with phases() as (start, move):
            report = restore_site(file, replace=replace, start=start, move=move)
    except BackupError as error:
        raise click.ClickException(f"{error}; nothing restored") from error
    except OSError as error:
        message = f"{_os_problem(error, None)}; nothing restored"
        raise click.ClickException(message) from error
    if report.stale_renderings:
        click.echo(
            f"{report.stale_renderings} article(s) and page(s) were rendered by another"
            " version of the pipeline: run `broadsheet rerender`.",
            err=True,
        )
    summary(f"Restored from {file}", report.counts())
    _audit("restored", f"backup {file.name}", report.counts())


def _os_problem(error: OSError, file: Path | None) -> str:
    """What the system refused, and on which file when known (or `file`)."""
    where = error.filename or file
    reason = error.strerror or str(error)
    return f"{reason}: {where}" if where else reason


def _audit(kind: str, target: str, counts: Mapping[str, int]) -> None:
    """Write an import or restore to the audit log, as done by this OS user."""
    from broadsheet.editorial import audit

    detail = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items()) if n)
    audit.record(
        kind,
        actor_name=f"{getpass.getuser()} (command line)",
        target=target,
        detail=detail,
    )
