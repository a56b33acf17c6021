"""Migration operations that move a table's large text columns after the small ones.

SQLite keeps a row's columns in table order and spills a long row into a chain of
overflow pages; reading a column stored after 100 KB of HTML means walking that
chain. Lists, counts and cards read only the small columns, so tables holding
rendered articles keep the large ones last (content 0004, web 0003). PostgreSQL
stores large values out of line (TOAST) and is indifferent to the order.

Only public migration operations: a field added is appended both to the table and
to the migration state, so adding a copy of each large field, copying the values,
dropping the original and renaming the copy leaves the database and the state in
the same order. A later migration that rebuilds the table (as Django does on
SQLite for many changes) takes the order from the state, and so keeps it; only
the column it alters moves, to the end. A migration altering a small column of
these tables must then end with moved_last() for the large ones:
tests/content/test_column_order.py fails until it does.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.db.models import F

MOVED_SUFFIX = "_moved"


def moved_last(
    app_label: str, model_name: str, fields: dict[str, models.Field]
) -> list[Operation]:
    """Operations moving `fields` (name: its current definition), in order, to
    the end of the model's table."""
    operations: list[Operation] = []
    for name, field in fields.items():
        copy = f"{name}{MOVED_SUFFIX}"
        needs_default = not field.has_default() and not field.null
        added = field.clone()
        if needs_default:
            added.default = ""  # rows exist already; the copy fills them at once
        operations += [
            migrations.AddField(
                model_name, copy, added, preserve_default=not needs_default
            ),
            migrations.RunPython(
                _copier(app_label, model_name, name, copy),
                _copier(app_label, model_name, copy, name),
            ),
            migrations.RemoveField(model_name, name),
            migrations.RenameField(model_name, copy, name),
        ]
    return operations


def _copier(app_label: str, model_name: str, source: str, target: str):
    def copy(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        model.objects.using(schema_editor.connection.alias).update(
            **{target: F(source)}
        )

    return copy
