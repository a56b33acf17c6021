"""A write the disk or the database refuses answers 503 saying why, not a bare 500."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
from django.db import DatabaseError
from django.test import Client

from broadsheet.content.models import Article
from broadsheet.editorial.roles import Role
from broadsheet.web.storage_refusals import (
    DISK_FAILED,
    DISK_FULL,
    READ_ONLY,
    storage_refusal,
)
from tests.factories import make_article, make_user
from tests.web.read_only import read_only_database


def sqlite_error(tmp_path: Path, *, read_only: bool) -> sqlite3.Error:
    """A real refusal from SQLite: a database at its size limit, or opened read-only."""
    path = tmp_path / "refusing.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    if read_only:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        db = sqlite3.connect(path)
        db.execute(
            f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}"
        )
    try:
        db.execute("INSERT INTO t VALUES (?)", ["x" * 100_000])
    except sqlite3.Error as error:
        return error
    raise AssertionError("SQLite took the write")


def wrapped(cause: BaseException) -> DatabaseError:
    """The error as Django raises it: its own class, the driver's as the cause."""
    try:
        raise DatabaseError(str(cause)) from cause
    except DatabaseError as error:
        return error


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: wrapped(sqlite_error(tmp, read_only=False)), DISK_FULL),
        (lambda tmp: wrapped(sqlite_error(tmp, read_only=True)), READ_ONLY),
        (lambda tmp: wrapped(psycopg.errors.DiskFull("could not extend")), DISK_FULL),
        (
            lambda tmp: wrapped(psycopg.errors.ReadOnlySqlTransaction("read-only")),
            READ_ONLY,
        ),
        (lambda tmp: OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (lambda tmp: OSError(errno.EROFS, "Read-only file system"), READ_ONLY),
        (lambda tmp: OSError(errno.EIO, "Input/output error"), DISK_FAILED),
        (lambda tmp: OSError(errno.ENOENT, "No such file"), None),
        (lambda tmp: wrapped(psycopg.errors.UniqueViolation("duplicate")), None),
        (lambda tmp: ValueError("a bug"), None),
    ],
    ids=[
        "sqlite-full",
        "sqlite-read-only",
        "postgres-disk-full",
        "postgres-read-only",
        "enospc",
        "erofs",
        "eio",
        "enoent",
        "postgres-unique",
        "bug",
    ],
)
def test_storage_refusal_names_what_refused_the_write(tmp_path, make, reason):
    assert storage_refusal(make(tmp_path)) == reason


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_to_a_read_only_database_answers_503_with_the_reason():
    editor = make_user(Role.EDITOR)
    article = make_article(authors=[editor.author], status=Article.Status.DRAFT)
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    form = {
        "title": article.title,
        "body": "Rye dough wants a wetter hand than wheat.",
        "version": article.version,
        "authors": [editor.author.pk],
    }
    with read_only_database():
        page = client.post(f"/newsroom/articles/{article.pk}/", form)
        autosave = client.post(
            f"/newsroom/articles/{article.pk}/autosave/",
            form,
            headers={"X-Requested-With": "fetch"},
        )

    assert page.status_code == 503 and page["Retry-After"] == "120"
    assert f"Nothing was saved: {READ_ONLY}." in page.content.decode()
    assert autosave.status_code == 503 and autosave.json() == {"error": READ_ONLY}
    article.refresh_from_db()
    assert article.body != form["body"] and article.version == form["version"]


@pytest.mark.django_db
def test_any_other_error_is_still_the_plain_500(monkeypatch):
    editor = make_user(Role.EDITOR)
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    def broken(*args, **kwargs):
        raise DatabaseError("no such column: content_article.colour")

    monkeypatch.setattr("broadsheet.editorial.views.render", broken)
    response = client.get("/newsroom/")
    assert response.status_code == 500 and "Retry-After" not in response
    assert b"Something went wrong" in response.content
