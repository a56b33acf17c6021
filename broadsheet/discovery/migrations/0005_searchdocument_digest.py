"""SearchDocument.digest: a digest of each row's text, for the static export.

Added with a plain ALTER TABLE ... ADD COLUMN on both databases: Django's SQLite
schema editor would rebuild the table for a NOT NULL column with a default, and a
rebuild drops the triggers that keep the FTS5 index in step (see 0001). Rows from
before carry "" and are digested from their text by the export until rewritten.
"""

from django.db import migrations, models

ADD = "ALTER TABLE discovery_searchdocument ADD COLUMN digest varchar(24) NOT NULL DEFAULT ''"
DROP = "ALTER TABLE discovery_searchdocument DROP COLUMN digest"


class Migration(migrations.Migration):
    dependencies = [("discovery", "0004_related_term_ties")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP)],
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="digest",
                    field=models.CharField(blank=True, default="", max_length=24),
                )
            ],
        )
    ]
