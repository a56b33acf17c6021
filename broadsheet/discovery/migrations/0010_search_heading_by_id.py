"""On PostgreSQL, the heading's GIN index also indexes the article's id.

A common query's heading hits are ranked among the newest of them (search/
backends/topk.py). A byline's name is in the heading of each of its author's
articles, 13,737 of 100,000 for one of the corpus's names, and without an order
in the index finding the newest visited each of those rows: 11 ms. With the id's
block in the index, as discovery 0007 did for the full vector, the newest are
found in windows of the newest ids, matched inside the index. Its blocks are of
1,024 ids: heading hits are sparse, and the expression differs from the full
vector's index, so the planner cannot take this index for a body's window.
SQLite: nothing here (FTS5 walks its lists by id already).
"""

from django.db import migrations

TABLE = "discovery_searchdocument"
OLD_INDEX = f"{TABLE}_heading_vector"
NEW_INDEX = f"{TABLE}_heading_id"

POSTGRES = [
    f"CREATE INDEX {NEW_INDEX} ON {TABLE} USING GIN (heading, (article_id / 1024))",
    f"DROP INDEX {OLD_INDEX}",
]
POSTGRES_REVERSE = [
    f"CREATE INDEX {OLD_INDEX} ON {TABLE} USING GIN (heading)",
    f"DROP INDEX {NEW_INDEX}",
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
    dependencies = [("discovery", "0009_search_word_pairs")]

    operations = [migrations.RunPython(create, drop)]
