"""SurfaceChange now belongs to the page cache app (pagecache 0001), table kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0004_fragments_version_index"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SurfaceChange")],
            database_operations=[],
        ),
    ]
