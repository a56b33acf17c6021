"""On SQLite, store an article's rendered fragments after its card.

Every list page and related-reading box reads ten cards; with `card_html` stored
after 100 KB of `main_html`, each card read walked the row's overflow chain (see
broadsheet.content.sqlite_layout).
"""

from django.db import migrations

from broadsheet.content.sqlite_layout import large_columns_last

LARGE = ("head_html", "header_html", "main_html")


class Migration(migrations.Migration):
    dependencies = [("web", "0002_article_fragments")]

    operations = [
        migrations.RunPython(
            large_columns_last("web", "ArticleFragments", LARGE),
            migrations.RunPython.noop,
        ),
    ]
