"""Store an article's rendered fragments after its card (see content.column_order).

Every list page and related-reading box reads ten cards; with `card_html` stored
after 100 KB of `main_html`, each card read walked the row's overflow chain.
"""

from django.db import migrations, models

from broadsheet.content.column_order import moved_last

LARGE = {
    "head_html": models.TextField(),
    "header_html": models.TextField(),
    "main_html": models.TextField(),
}


class Migration(migrations.Migration):
    dependencies = [("web", "0002_article_fragments")]

    operations = moved_last("web", "articlefragments", LARGE)
