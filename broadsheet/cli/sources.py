"""`broadsheet sources`: import bibliography files into the site's works."""

from __future__ import annotations

from pathlib import Path

import click

from broadsheet.cli.progress import summary


@click.group()
def sources() -> None:
    """Manage the bibliography of works that articles cite."""


@sources.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(file: Path) -> None:
    """Import works from a BibTeX (.bib), CSL-JSON (.json) or RIS (.ris) FILE, all
    or nothing."""
    from broadsheet.sources.services import BibliographyFormatError, import_works

    try:
        result = import_works(file.read_text(encoding="utf-8"), filename=file.name)
    except (BibliographyFormatError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{file}: {error}; nothing imported") from error
    for line in result.duplicates:
        click.echo(f"duplicate: {line}", err=True)
    summary(f"Imported {file.name}", result.as_counts())
