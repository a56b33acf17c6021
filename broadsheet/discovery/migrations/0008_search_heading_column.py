"""On PostgreSQL, the heading's tsvector becomes a stored column.

A common query ranks its heading hits by the heading alone (search/backends/
topk.py). With discovery 0003's expression index each hit's heading was parsed
again to rank it (to_tsvector per row, ~7 µs: 14 ms for 2,000 hits); a stored,
generated column is parsed once, when the row is written, and is small enough
to stay in the row. Its GIN index replaces the expression index. The column is
generated from SearchDocument's text as the full vector is (discovery 0001), so
it is never written by hand. SQLite: nothing here (discovery 0006's table).
"""

from django.db import migrations

TABLE = "discovery_searchdocument"
HEADING = "to_tsvector('english'::regconfig, title || ' ' || people)"

POSTGRES = [
    f"ALTER TABLE {TABLE} ADD COLUMN heading tsvector"
    f" GENERATED ALWAYS AS ({HEADING}) STORED",
    f"CREATE INDEX {TABLE}_heading_vector ON {TABLE} USING GIN (heading)",
    f"DROP INDEX {TABLE}_heading",
]
POSTGRES_REVERSE = [
    f"CREATE INDEX {TABLE}_heading ON {TABLE} USING GIN (({HEADING}))",
    f"DROP INDEX {TABLE}_heading_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN heading",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, POSTGRES)


def drop(apps, schema_editor):
    _run(schema_editor, POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0007_search_vector_by_id")]

    operations = [migrations.RunPython(create, drop)]
