"""On SQLite, store an article's large text columns after its metadata.

SQLite keeps a row's columns in table order and spills a long row into a chain of
overflow pages; reading a column that sits after 100 KB of body means walking that
chain. The mixin's rendered fields came first, so every list, count, sitemap and
related-reading query that only needed slug, status or dates read whole articles:
10,000 slugs took 330 ms instead of 10. PostgreSQL stores large values out of line
(TOAST) and needs no change.
"""

from django.db import migrations

LARGE = ("toc", "body", "body_html", "notes_html", "bibliography_html")


def put_large_columns_last(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    article = apps.get_model("content", "Article")
    fields = list(article._meta.local_concrete_fields)
    ordered = [f for f in fields if f.name not in LARGE] + [
        f for f in fields if f.name in LARGE
    ]
    # The rebuilt table takes its column order from the fields' creation order.
    first = min(field.creation_counter for field in fields)
    for offset, field in enumerate(ordered):
        field.creation_counter = first + offset
    schema_editor._remake_table(article)


class Migration(migrations.Migration):
    dependencies = [("content", "0003_term_article_indexes")]

    operations = [
        migrations.RunPython(put_large_columns_last, migrations.RunPython.noop),
    ]
