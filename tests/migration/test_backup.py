"""`broadsheet backup` and `broadsheet restore` through Click's CliRunner.

The same tests run on PostgreSQL under `-m postgres`. Restoring into a fresh
database file or server, and backing up while the site is written to, are in
tests/system/test_backup.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.db import connection

from broadsheet.cli import cli
from broadsheet.content.models import Article
from broadsheet.editorial.models import AuditEvent
from tests.migration.site import build_site, site_state

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def site():
    return build_site()


@pytest.fixture
def archive(site, tmp_path) -> Path:
    path = tmp_path / "site.tar.gz"
    result = invoke("backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}


def rewrite(path: Path, change) -> Path:
    """Write a copy of the archive with its members passed through `change`."""
    found = change(members(path))
    copy = path.with_name("changed.tar.gz")
    with tarfile.open(copy, "w:gz") as tar:
        for name, data in found.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return copy


def fresh_install() -> None:
    """Empty the database as a fresh install's is: migrated, nothing written but
    what migrate writes (content types, permissions, role groups)."""
    if connection.vendor == "postgresql":
        # PostgreSQL truncates no table with foreign key checks pending, as the
        # test's transaction has them: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_backup_prints_progress_then_a_summary(site, tmp_path):
    result = invoke("backup", str(tmp_path / "site.tar.gz"))

    assert result.exit_code == 0
    assert "Backing up" in result.stderr
    assert result.stdout == (
        f"Backed up to {tmp_path / 'site.tar.gz'}: 4 articles, 1 pages, 4 authors,"
        " 2 works, 2 redirects, 3 accounts, 3 daily view counts, 5 media files.\n"
    )


def test_the_archive_holds_a_manifest_of_counts_checksums_and_migrations(archive):
    found = members(archive)
    manifest = json.loads(found["manifest.json"])

    assert manifest["format"] == "broadsheet-backup"
    assert manifest["format_version"] == 1
    assert "0009_article_sticky" in manifest["migrations"]["content"]
    tables = {entry["model"]: entry["rows"] for entry in manifest["tables"]}
    assert tables["content.article"] == 4
    assert tables["readership.dailyviews"] == 3
    assert "discovery.searchdocument" not in tables  # derived: rebuilt on restore
    assert "sessions.session" not in tables
    lines = found["data/content.article.jsonl"].decode().splitlines()
    assert len(lines) == 4
    assert sorted(manifest["members"]) == sorted(set(found) - {"manifest.json"})
    assert any(name.startswith("media/images/") for name in found)


def test_restore_into_a_fresh_install_gives_back_every_row_file_and_page(archive):
    before = site_state()
    fresh_install()
    assert not Article.objects.exists()

    result = invoke("restore", str(archive))

    assert result.exit_code == 0, result.output
    assert "Checking" in result.stderr and "Restoring" in result.stderr
    assert result.stdout.startswith(f"Restored from {archive}: 4 articles, 1 pages")
    after = site_state()
    assert after["rows"] == before["rows"]
    assert after["media"] == before["media"]
    assert after["pages"] == before["pages"]
    (restored,) = AuditEvent.objects.filter(kind=AuditEvent.Kind.RESTORED)
    assert restored.target == f"backup {archive.name}"
    assert "articles: 4" in restored.detail


def test_restore_finds_articles_in_search_at_once(archive, client):
    fresh_install()
    invoke("restore", str(archive))

    page = client.get("/search/?q=linen")

    assert b"sewing-a-book" in page.content


def test_restore_refuses_a_database_that_holds_a_site(archive):
    before = site_state()

    result = invoke("restore", str(archive))

    assert result.exit_code == 1
    assert "Error: the database already holds a site (" in result.stderr
    assert "pass --replace" in result.stderr
    assert result.stderr.rstrip().endswith("; nothing restored")
    assert site_state() == before


def test_restore_replace_puts_the_archived_site_back_over_a_changed_one(archive):
    before = site_state()
    Article.objects.filter(slug="weighing-flour").update(title="Changed")
    Article.objects.get(slug="marbling-paper").delete()

    result = invoke("restore", "--replace", str(archive))

    assert result.exit_code == 0, result.output
    assert site_state() == before


def test_backup_refuses_to_overwrite_a_file_unless_told(archive):
    kept = archive.read_bytes()

    refused = invoke("backup", str(archive))
    assert refused.exit_code == 1
    assert "exists; pass --overwrite" in refused.stderr
    assert archive.read_bytes() == kept

    assert invoke("backup", "--overwrite", str(archive)).exit_code == 0


def test_backup_refuses_a_name_without_tar(site, tmp_path):
    result = invoke("backup", str(tmp_path / "site.zip"))

    assert result.exit_code == 1
    assert "name the backup FILE.tar.gz (compressed) or FILE.tar" in result.stderr
    assert list(tmp_path.glob("*site*")) == []


def refused_and_unchanged(path: Path, message: str) -> None:
    fresh_install()
    before = site_state(pages=False)
    result = invoke("restore", str(path))
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stderr.rstrip().endswith("; nothing restored")
    assert site_state(pages=False) == before


def test_a_truncated_archive_is_refused_and_nothing_changes(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    refused_and_unchanged(archive, "site.tar.gz is damaged or truncated")


def test_an_archive_with_a_changed_byte_is_refused_by_its_checksum(archive):
    def change(found):
        name = "data/content.article.jsonl"
        found[name] = found[name].replace(b"Sewing a Book", b"Sewing a Boot")
        return found

    refused_and_unchanged(
        rewrite(archive, change),
        "changed.tar.gz: data/content.article.jsonl does not match its checksum",
    )


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, site):
    path = tmp_path / "notes.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("data/readme.txt")
        tar.addfile(info, io.BytesIO(b""))
    refused_and_unchanged(path, "notes.tar has no manifest.json")


def manifest_changed(archive: Path, **changes) -> Path:
    def change(found):
        manifest = json.loads(found.pop("manifest.json"))
        manifest.update(changes(manifest) if callable(changes) else changes)
        found["manifest.json"] = json.dumps(manifest).encode()
        return found

    return rewrite(archive, change)


def test_an_archive_of_a_newer_format_is_refused(archive):
    refused_and_unchanged(
        manifest_changed(archive, format_version=2, broadsheet_version="9.0"),
        "changed.tar.gz is a backup of format 2, made by Broadsheet 9.0; this"
        " Broadsheet reads format 1 and older: upgrade Broadsheet to restore it",
    )


def test_an_archive_whose_migrations_are_ahead_of_the_code_is_refused(archive):
    migrations = json.loads(members(archive)["manifest.json"])["migrations"]
    migrations["content"].append("0099_from_the_future")
    refused_and_unchanged(
        manifest_changed(archive, migrations=migrations),
        "migrations this code lacks (content 0099_from_the_future): upgrade"
        " Broadsheet, then restore",
    )


def test_an_archive_from_before_a_migration_is_refused(archive):
    migrations = json.loads(members(archive)["manifest.json"])["migrations"]
    migrations["content"].remove("0009_article_sticky")
    refused_and_unchanged(
        manifest_changed(archive, migrations=migrations),
        "before migrations this code has (content 0009_article_sticky): restore"
        " it with Broadsheet 0.1.0, then upgrade",
    )


def test_a_member_outside_the_archive_folders_is_refused(archive, tmp_path):
    def change(found):
        found["media/../../escaped.txt"] = b"out"
        return found

    refused_and_unchanged(rewrite(archive, change), "unexpected member")
    assert not (tmp_path / "escaped.txt").exists()


def rechecksummed(change):
    """`change`, then the manifest's checksums made to fit: damage a checksum
    cannot see."""

    def changed(found):
        found = change(found)
        manifest = json.loads(found["manifest.json"])

        for name, data in found.items():
            if name != "manifest.json":
                manifest["members"][name] = {
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
        found["manifest.json"] = json.dumps(manifest).encode()
        return found

    return changed


def test_a_row_that_does_not_load_rolls_back_the_whole_restore(archive):
    def change(found):
        name = "data/publishing.redirect.jsonl"
        lines = found[name].splitlines()
        found[name] = b"\n".join([lines[0], lines[0]]) + b"\n"  # the same id twice
        return found

    refused_and_unchanged(
        rewrite(archive, rechecksummed(change)),
        "changed.tar.gz, data/publishing.redirect.jsonl, line 2:",
    )


def test_a_row_with_a_field_this_code_lacks_names_its_line(archive):
    def change(found):
        name = "data/content.tag.jsonl"
        lines = found[name].splitlines()
        row = json.loads(lines[1])
        row["fields"]["colour"] = "blue"
        lines[1] = json.dumps(row).encode()
        found[name] = b"\n".join(lines) + b"\n"
        return found

    refused_and_unchanged(
        rewrite(archive, rechecksummed(change)),
        "changed.tar.gz, data/content.tag.jsonl, line 2: Tag has no field named"
        " 'colour'",
    )


def test_backup_takes_in_views_still_waiting_in_the_spool(site, tmp_path):
    from django.utils import timezone

    from broadsheet.readership import spool

    article = Article.objects.get(slug="weighing-flour")
    spool.add(article.pk, count=4, day=timezone.now().date())  # as a server would
    path = tmp_path / "site.tar"

    assert invoke("backup", str(path)).exit_code == 0

    rows = [
        json.loads(line)
        for line in members(path)["data/readership.dailyviews.jsonl"].splitlines()
    ]
    counts = [
        r["fields"]["count"] for r in rows if r["fields"]["article"] == article.pk
    ]
    assert counts == [6]  # the 2 counted before and the 4 spooled
