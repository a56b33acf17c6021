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


def test_create_accounts_gives_each_author_an_account_once(export_file):
    from django.contrib.auth import get_user_model

    from broadsheet.content.models import Author
    from broadsheet.editorial.roles import Role, role_of

    result = invoke("import", "wordpress", "--create-accounts", str(export_file))
    assert result.exit_code == 0, result.output
    assert "  accounts created: 2" in result.output
    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users] == ["ada", "ben"]
    ada = users[0]
    assert ada.email == "ada@example.org"
    assert not ada.has_usable_password()
    assert role_of(ada) == Role.AUTHOR
    assert Author.objects.get(user=ada).name == "Ada Compositor"
    again = invoke("import", "wordpress", "--create-accounts", str(export_file))
    assert "  accounts kept: 2" in again.output
    assert get_user_model().objects.count() == 2


def test_create_accounts_links_an_existing_account_without_changing_it(export_file):
    from django.contrib.auth import get_user_model

    from broadsheet.content.models import Author
    from broadsheet.editorial.roles import Role, assign, role_of

    admin = get_user_model().objects.create_user("ada", password="s3cret-rye")
    assign(admin, Role.ADMINISTRATOR)
    result = invoke("import", "wordpress", "--create-accounts", str(export_file))
    assert "  accounts linked: 1" in result.output
    admin.refresh_from_db()
    assert admin.check_password("s3cret-rye")
    assert role_of(admin) == Role.ADMINISTRATOR
    assert Author.objects.get(user=admin).slug == "ada"


def test_without_create_accounts_no_account_is_made(export_file):
    from django.contrib.auth import get_user_model

    invoke("import", "wordpress", str(export_file))
    assert get_user_model().objects.count() == 0


def test_media_dir_imports_the_uploads(tmp_path):
    from broadsheet.media.models import Image
    from tests.factories import image_file
    from tests.migration.wxr import attachment, upload_url

    uploads = tmp_path / "uploads"
    (uploads / "2020/01").mkdir(parents=True)
    (uploads / "2020/01/moon.jpg").write_bytes(image_file().read())
    path = tmp_path / "moon.xml"
    body = f'<p>The Moon: <img src="{upload_url("2020/01/moon.jpg")}" alt="Moon"></p>'
    path.write_text(
        export(
            *default_header(),
            item(1, content=body),
            attachment(2, "2020/01/moon.jpg", alt="The Moon at first quarter"),
        )
    )
    result = invoke("import", "wordpress", "--media-dir", str(uploads), str(path))
    assert result.exit_code == 0, result.output
    assert "  images imported: 1" in result.output
    image = Image.objects.get()
    assert f"media:{image.pk}" in Article.objects.get().body


def test_an_import_is_written_to_the_audit_log_and_a_dry_run_is_not(export_file):
    from broadsheet.editorial.models import AuditEvent

    invoke("import", "wordpress", "--dry-run", str(export_file))
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORTED).exists()
    invoke("import", "wordpress", str(export_file))

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORTED)
    assert event.target == "WordPress export site.xml"
    assert "posts created: 2" in event.detail
    assert event.actor_name.endswith("(command line)")
