"""`broadsheet import wordpress` through Click's CliRunner."""

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.content.models import Article
from tests.migration.wxr import default_header, export, item

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def export_file(tmp_path):
    path = tmp_path / "site.xml"
    path.write_text(
        export(
            *default_header(),
            item(1, title="Kneading", content='<p>Knead. [plugin id="4696"]</p>'),
            item(2, title="Proving", status="private", comments=4),
        )
    )
    return path


def test_import_wordpress_prints_progress_then_the_report(export_file):
    result = invoke("import", "wordpress", str(export_file))
    assert result.exit_code == 0
    assert "Importing" in result.stderr
    assert result.stdout.splitlines() == [
        "Imported from https://old.example.org:",
        "  authors created: 2",
        "  categories created: 2",
        "  posts created: 2",
        "  tags created: 2",
        "Skipped (not imported) (1):",
        "  comments: 4",
        "Imported as drafts, not published (1):",
        "  post 2 \u201cProving\u201d: private in WordPress",
        "Unknown shortcodes removed (1):",
        '  post 1 \u201cKneading\u201d, body line 1: [plugin id="4696"]',
        "Warnings (1):",
        "  categories have no parents in Broadsheet: the WordPress hierarchy was"
        " flattened (letterpress under printing)",
    ]
    assert Article.objects.count() == 2


def test_dry_run_prints_the_report_and_saves_nothing(export_file):
    result = invoke("import", "wordpress", "--dry-run", str(export_file))
    assert result.exit_code == 0
    assert result.stdout.startswith("Dry run (nothing was saved) from")
    assert "  posts created: 2" in result.stdout
    assert Article.objects.count() == 0


def test_an_unreadable_export_exits_1_naming_the_line(tmp_path):
    path = tmp_path / "broken.xml"
    text = export(*default_header(), item(1), item(2))
    path.write_text(text.replace("</wp:post_name>", "</wp:post_nam>", 1))
    result = invoke("import", "wordpress", str(path))
    line = text[: text.index("</wp:post_name>")].count("\n") + 1
    assert result.exit_code == 1
    assert (
        f"Error: broken.xml, line {line}, column 35: malformed XML: mismatched tag;"
        " nothing imported" in result.stderr
    )
    assert Article.objects.count() == 0


def test_media_dir_is_accepted_and_its_import_reported_as_not_built(
    export_file, tmp_path
):
    result = invoke(
        "import", "wordpress", "--media-dir", str(tmp_path), str(export_file)
    )
    assert result.exit_code == 0
    assert f"--media-dir {tmp_path} is not used yet" in result.stdout
