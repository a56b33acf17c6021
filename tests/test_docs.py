"""README documents every environment variable and every `broadsheet` command."""

import re
from pathlib import Path

import click
import pytest

from broadsheet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def environment_variables() -> set[str]:
    settings_source = (ROOT / "broadsheet" / "settings.py").read_text()
    pattern = r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z_]+)["']"""
    names = set(re.findall(pattern, settings_source))
    names |= set(re.findall(r"config\(\s*env=\"([A-Z_]+)\"", settings_source))
    return names | {"DATABASE_URL"}  # read by dj_database_url.config()


def command_paths(group: click.Group, prefix: str = "broadsheet") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        paths.append(path)
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
    return paths


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_environment_variable_is_in_the_readme_table(name):
    assert re.search(rf"^\| `{name}` \|", README, re.M), f"{name} missing from README"


@pytest.mark.parametrize("path", command_paths(cli))
def test_every_cli_command_is_in_the_readme_reference(path):
    assert f"`{path}" in README, f"{path} missing from README CLI reference"


def test_readme_gives_the_two_commands():
    assert "make demo" in README and "make test" in README
