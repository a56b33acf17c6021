"""SurfaceChange moves here from the web app; its table stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("web", "0004_fragments_version_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SurfaceChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("surface", models.CharField(max_length=200)),
                        ("changed_ns", models.BigIntegerField(db_index=True)),
                    ],
                    options={
                        "verbose_name": "surface change",
                        "db_table": "web_surfacechange",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
