"""On PostgreSQL, a GIN index over the heading alone (title and byline).

Search scores at most a few thousand hits of a very common query (the newest),
plus every hit with a word in its heading (search/backends/topk.py); this index
finds those without reading each article's whole tsvector. The expression must
stay the same as HEADING_VECTOR in search/backends/postgres.py for the planner
to use it. SQLite finds them with an FTS5 column filter: nothing to add there.
"""

from django.db import migrations

TABLE = "discovery_searchdocument"
HEADING_VECTOR = (
    "to_tsvector('english'::regconfig, title || ' ' || people)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {TABLE}_heading ON {TABLE} USING GIN (({HEADING_VECTOR}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {TABLE}_heading")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_related_reading")]

    operations = [migrations.RunPython(create, drop)]
