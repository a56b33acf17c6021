"""The layer rules hold: imports and model relations point down."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def _layers() -> list[set[str]]:
    """The import-linter layers of pyproject.toml, lowest first: one list of them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [
        {name.strip(" ()") for name in layer.split("|")}
        for layer in reversed(contract["layers"])
    ]


LAYERS = _layers()


def layer_of(app_label: str) -> int | None:
    for index, members in enumerate(LAYERS):
        if app_label in members:
            return index
    return None


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [Path(sys.executable).parent / "lint-imports"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m.__module__.startswith("broadsheet.")],
    ids=lambda m: m._meta.label,
)
def test_model_relations_point_to_the_same_or_a_lower_layer(model):
    own = layer_of(model._meta.app_label)
    assert own is not None, f"{model._meta.app_label} is missing from LAYERS"
    for field in model._meta.get_fields():
        if not field.is_relation or field.auto_created or field.related_model is None:
            continue
        if not field.related_model.__module__.startswith("broadsheet."):
            continue  # Django's own apps (auth, contenttypes) sit below everything
        target = layer_of(field.related_model._meta.app_label)
        assert target is not None and target <= own, f"{model.__name__}.{field.name}"
