"""On PostgreSQL, the full-text GIN index also indexes the article's id.

A common query is answered from its newest hits (search/backends/topk.py), and
GIN keeps no order: finding a word's newest 1,001 hits meant visiting every hit
(84,000 rows, 25-35 ms, for a word in most of 100,000 articles). With the id's
block of 256 in the same GIN index (the btree_gin extension, part of
PostgreSQL's contrib and trusted since PostgreSQL 13, so a database's owner may
create it), a window of the newest ids is matched inside the index, and only its
hits are visited (1-2 ms). Blocks, not ids: one index key per 256 ids, which a
window's range reads quickly; and an expression the primary key cannot answer,
so the planner takes this index for a window, not the primary key (whose plan
reads every row of the window's vector). The index also answers ``vector @@
query`` alone, so it replaces discovery 0001's.
SQLite: nothing here (FTS5 walks its lists by id already).
"""

from django.db import migrations
from django.db.utils import DatabaseError

TABLE = "discovery_searchdocument"
OLD_INDEX = f"{TABLE}_vector"
NEW_INDEX = f"{TABLE}_vector_id"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError as error:  # not allowed, or not installed
        raise DatabaseError(
            "Broadsheet's search on PostgreSQL needs the btree_gin extension"
            " (PostgreSQL's contrib): have the database's owner run"
            f" CREATE EXTENSION btree_gin, then migrate again ({error})"
        ) from error
    schema_editor.execute(
        f"CREATE INDEX {NEW_INDEX} ON {TABLE} USING GIN (vector, (article_id / 256))"
    )
    schema_editor.execute(f"DROP INDEX {OLD_INDEX}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX {OLD_INDEX} ON {TABLE} USING GIN (vector)")
    schema_editor.execute(f"DROP INDEX {NEW_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0006_search_heading_fts")]

    operations = [migrations.RunPython(create, drop)]
