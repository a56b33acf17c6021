"""On SQLite, rendered HTML is stored after the columns lists read (sqlite_layout)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

LAST = {
    "content_article": {"toc", "body", "body_html", "notes_html", "bibliography_html"},
    "web_articlefragments": {"head_html", "header_html", "main_html"},
}


@pytest.mark.parametrize("table", sorted(LAST))
def test_large_columns_come_last_in_the_migrated_table(table):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL stores large values out of line (TOAST)")
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        columns = [row[1] for row in cursor.fetchall()]
    large = LAST[table]
    assert set(columns[-len(large) :]) == large, columns
