"""On SQLite, rendered HTML is stored after the columns lists read (column_order)."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL stores large values out of line (TOAST): order is moot",
)

LAST = {
    ("content", "article"): {
        "toc",
        "body",
        "body_html",
        "notes_html",
        "bibliography_html",
    },
    ("web", "articlefragments"): {"head_html", "header_html", "main_html"},
}


def columns_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        return [row[1] for row in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(LAST), ids="-".join)
def test_large_columns_come_last_in_the_migrated_table(model):
    large = LAST[model]
    columns = columns_of("_".join(model))
    assert set(columns[-len(large) :]) == large, columns


@pytest.mark.parametrize("model", sorted(LAST), ids="-".join)
def test_the_migration_state_has_the_tables_order_so_later_rebuilds_keep_it(model):
    """Django rebuilds a SQLite table from the migration state's field order."""
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    fields = list(state.models[model].fields)
    large = LAST[model]
    assert set(fields[-len(large) :]) == large, fields


@pytest.mark.django_db(transaction=True)
def test_a_later_table_rebuild_keeps_the_large_columns_after_the_others():
    state = MigrationLoader(connection).project_state()
    article = state.apps.get_model("content", "Article")
    before = article._meta.get_field("excerpt")
    after = before.clone()
    after.set_attributes_from_name("excerpt")
    after.help_text = "Rebuilt."
    after.null = True  # a change SQLite can only make by rebuilding the table
    with connection.schema_editor() as editor:
        editor.alter_field(article, before, after)
    try:
        # Django appends the column it altered; every other keeps its place.
        columns = [name for name in columns_of("content_article") if name != "excerpt"]
        assert set(columns[-5:]) == LAST[("content", "article")], columns
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(article, after, before)
