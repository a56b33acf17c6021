"""On SQLite, store an article's large text columns after its metadata.

The mixin's rendered fields came first, so every list, count, sitemap and
related-reading query that only needed slug, status or dates read whole articles:
10,000 slugs took 330 ms instead of 10 (see broadsheet.content.sqlite_layout).
"""

from django.db import migrations

from broadsheet.content.sqlite_layout import large_columns_last

LARGE = ("toc", "body", "body_html", "notes_html", "bibliography_html")


class Migration(migrations.Migration):
    dependencies = [("content", "0003_term_article_indexes")]

    operations = [
        migrations.RunPython(
            large_columns_last("content", "Article", LARGE), migrations.RunPython.noop
        ),
    ]
