"""Put a table's large text columns after the small ones, on SQLite.

SQLite keeps a row's columns in table order and spills a long row into a chain of
overflow pages; reading a column stored after 100 KB of HTML means walking that
chain. Lists, counts and cards read only the small columns, so tables holding
rendered articles keep the large ones last (content 0004, web 0003). PostgreSQL
stores large values out of line (TOAST) and needs nothing.

A later migration that makes Django rebuild such a table on SQLite takes the
column order from the migration state, i.e. the original order; it must call this
again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def large_columns_last(
    app_label: str, model_name: str, large: tuple[str, ...]
) -> Callable:
    """A RunPython function rebuilding the model's table with `large` last."""

    def rebuild(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        model = apps.get_model(app_label, model_name)
        fields = list(model._meta.local_concrete_fields)
        ordered = [f for f in fields if f.name not in large] + [
            f for f in fields if f.name in large
        ]
        # The rebuilt table takes its column order from the fields' creation order.
        first = min(field.creation_counter for field in fields)
        for offset, field in enumerate(ordered):
            field.creation_counter = first + offset
        schema_editor._remake_table(model)

    return rebuild
