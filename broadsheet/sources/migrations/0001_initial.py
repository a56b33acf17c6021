from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Work",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(help_text="Writers cite the work as [@key].", max_length=200, unique=True, verbose_name="citation key")),
                ("doi", models.CharField(blank=True, db_index=True, max_length=200, verbose_name="DOI")),
                ("title", models.CharField(blank=True, editable=False, max_length=500, verbose_name="title")),
                ("csl", models.JSONField(default=dict, verbose_name="CSL-JSON")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["key"], "verbose_name": "work"},
        ),
    ]
