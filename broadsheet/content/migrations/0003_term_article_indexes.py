"""Indexes (term, article) on the tag and category link tables.

Related reading reads the newest articles of each term straight from an index
(discovery.related); Django's automatic link tables only index each column alone,
which made SQLite sort every article of a broad tag on each uncached page.
"""

from django.db import migrations

INDEXES = [
    ("content_article_tags", "tag_id"),
    ("content_article_categories", "category_id"),
]


class Migration(migrations.Migration):
    dependencies = [("content", "0002_citations")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_term_article ON {table} ({column}, article_id)",
            f"DROP INDEX {table}_term_article",
        )
        for table, column in INDEXES
    ]
