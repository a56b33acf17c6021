"""The `broadsheet` command: one entry point for serving, demo data and maintenance."""

from __future__ import annotations

import atexit
import gc
import os
import sys

import click

from broadsheet.cli import serve as serve_module
from broadsheet.cli import site as site_module
from broadsheet.cli import sources as sources_module
from broadsheet.cli import transfer as transfer_module


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadsheet")
def cli() -> None:
    """Broadsheet: a publishing platform for long-form, source-noted writing."""
    setup_django()


def setup_django() -> None:
    """Load settings and apps, turning configuration errors into a clear exit."""
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    starting = not apps.ready  # a test's CliRunner calls this once per command
    if starting:
        # Setup makes some 100,000 objects that live as long as the command;
        # collecting while it runs, and walking them again in each later full
        # collection, cost 0.1 s of every start (broadsheet.wsgi does the same).
        gc.disable()
    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise click.ClickException(str(error)) from error
    finally:
        if starting:
            gc.freeze()
            gc.enable()
            # Python's last collection at exit walks whatever the command built
            # (0.3 s after an export's 46,000-page manifest); refcounting frees it.
            atexit.register(gc.freeze)


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run any Django management command, e.g. `broadsheet manage migrate`."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["broadsheet manage", *args])


cli.add_command(serve_module.serve)
cli.add_command(transfer_module.export)
cli.add_command(transfer_module.import_)
cli.add_command(transfer_module.backup)
cli.add_command(transfer_module.restore)
cli.add_command(sources_module.sources)
for command in site_module.COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli(prog_name="broadsheet"))
