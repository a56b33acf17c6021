import django.db.models.deletion
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
        ("content", "0007_newsroom_ownership_and_workflow"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="featured_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the article, in lists and on social cards.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="featured_in",
                to="media.image",
                verbose_name="featured image",
            ),
        ),
        *moved_last("content", "article", LARGE),
    ]
