"""The search index: SearchDocument rows, and the full-text index over them.

The full-text part depends on the database: an FTS5 table with triggers on
SQLite, a generated tsvector column with a GIN index on PostgreSQL. The SQL is
written out here, as it stood when this migration was made.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.utils import OperationalError

COLUMNS = ["title", "subtitle", "body", "notes", "people", "works"]


def _values(prefix):
    return ", ".join(f"{prefix}.{column}" for column in COLUMNS)


FTS = "discovery_search_fts"
TABLE = "discovery_searchdocument"
# External content: the text is stored once, in TABLE; the triggers keep FTS in
# step inside whatever transaction writes TABLE (https://sqlite.org/fts5.html#external_content_tables).
SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(COLUMNS)},"
    f" content='{TABLE}', content_rowid='article_id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}(rowid, {', '.join(COLUMNS)})"
    f" VALUES (new.article_id, {_values('new')}); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {', '.join(COLUMNS)})"
    f" VALUES ('delete', old.article_id, {_values('old')}); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {', '.join(COLUMNS)})"
    f" VALUES ('delete', old.article_id, {_values('old')});"
    f" INSERT INTO {FTS}(rowid, {', '.join(COLUMNS)})"
    f" VALUES (new.article_id, {_values('new')}); END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {FTS}_update",
    f"DROP TRIGGER {FTS}_delete",
    f"DROP TRIGGER {FTS}_insert",
    f"DROP TABLE {FTS}",
]
# Weights: A title; B subtitle and byline; C body and works cited; D notes.
WEIGHTS = {
    "title": "A",
    "subtitle": "B",
    "people": "B",
    "body": "C",
    "works": "C",
    "notes": "D",
}
VECTOR = " || ".join(
    f"setweight(to_tsvector('english'::regconfig, {column}), '{weight}')"
    for column, weight in WEIGHTS.items()
)
POSTGRES = [
    f"ALTER TABLE {TABLE} ADD COLUMN vector tsvector"
    f" GENERATED ALWAYS AS ({VECTOR}) STORED",
    f"CREATE INDEX {TABLE}_vector ON {TABLE} USING GIN (vector)",
]
POSTGRES_REVERSE = [
    f"DROP INDEX {TABLE}_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN vector",
]


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, []):
        try:
            schema_editor.execute(statement)
        except OperationalError as error:
            if "no such module: fts5" in str(error):
                raise OperationalError(
                    "This SQLite was built without FTS5, which Broadsheet's search"
                    " needs: use a Python whose sqlite3 has it"
                    " (select sqlite_compileoption_used('ENABLE_FTS5'))"
                ) from error
            raise


def create_full_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def drop_full_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("content", "0006_sitesettings_views_shown_from"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="content.article",
                    ),
                ),
                ("title", models.TextField(blank=True)),
                ("subtitle", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("notes", models.TextField(blank=True)),
                (
                    "people",
                    models.TextField(blank=True, help_text="The byline's names."),
                ),
                (
                    "works",
                    models.TextField(
                        blank=True,
                        help_text="Titles, authors and keys of the works cited.",
                    ),
                ),
                ("note_starts", models.JSONField(blank=True, default=list)),
            ],
            options={
                "verbose_name": "search document",
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index),
    ]
