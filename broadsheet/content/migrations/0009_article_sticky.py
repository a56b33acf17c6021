from django.db import migrations, models

from broadsheet.content.column_order import moved_last

# The new column lands after the large ones on SQLite; move the large ones back
# to the end (see content.column_order).
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
    dependencies = [
        ("content", "0008_article_featured_image"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="sticky",
            field=models.BooleanField(
                default=False,
                help_text="Pinned to the top of the front page (WordPress's sticky posts).",
                verbose_name="lead story",
            ),
        ),
        *moved_last("content", "article", LARGE),
    ]
