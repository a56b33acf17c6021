"""Store an article's large text columns after its metadata (see content.column_order).

The mixin's rendered fields came first, so every list, count, sitemap and
related-reading query that only needed slug, status or dates read whole articles
on SQLite: 10,000 slugs took 330 ms instead of 10.
"""

from django.db import migrations, models

from broadsheet.content.column_order import moved_last

LARGE = {
    "toc": models.JSONField(blank=True, default=list, editable=False),
    "body": models.TextField(
        help_text="Markdown, with notes as [^label] and [^label]: text.",
        verbose_name="body",
    ),
    "body_html": models.TextField(blank=True, editable=False),
    "notes_html": models.TextField(blank=True, editable=False),
    "bibliography_html": models.TextField(blank=True, editable=False),
}


class Migration(migrations.Migration):
    dependencies = [("content", "0003_term_article_indexes")]

    operations = moved_last("content", "article", LARGE)
