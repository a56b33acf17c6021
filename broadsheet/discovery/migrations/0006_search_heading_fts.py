"""On SQLite, a second, small FTS5 table over the heading alone (title, byline).

A search with thousands of hits ranks the articles with its words in the
heading first (search/backends/topk.py). In the main table a column filter
still walks every hit's positions in every column (about 20 ms for a common
word at 100,000 articles); this table holds only the heading's words, so its
lists are short. External content over SearchDocument, kept in step by
triggers in the same transaction, as the main table is (discovery 0001).
PostgreSQL has its GIN index over the heading (discovery 0003): nothing here.
"""

from django.db import migrations

FTS = "discovery_search_heading_fts"
TABLE = "discovery_searchdocument"
COLUMNS = "title, people"
OLD = "old.title, old.people"
NEW = "new.title, new.people"

SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS},"
    f" content='{TABLE}', content_rowid='article_id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.article_id, {NEW}); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})"
    f" VALUES ('delete', old.article_id, {OLD}); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})"
    f" VALUES ('delete', old.article_id, {OLD});"
    f" INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.article_id, {NEW}); END",
    # The rows already indexed.
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {FTS}_update",
    f"DROP TRIGGER {FTS}_delete",
    f"DROP TRIGGER {FTS}_insert",
    f"DROP TABLE {FTS}",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "sqlite":
        for statement in statements:
            schema_editor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, SQLITE)


def drop(apps, schema_editor):
    _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0005_searchdocument_digest")]

    operations = [migrations.RunPython(create, drop)]
