"""Reliability under faults, on a real `broadsheet serve` and the real CLI: the
server killed (SIGKILL) inside a publish, an import killed inside its transaction,
a full disk and a database that turns read-only. After each: no half state, clear
errors, readers served, nothing corrupted.

A backup killed half-way is tested in test_backup.py (no file under the name, and
the partial file it leaves is refused by restore).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.migration.wxr import default_header, export, item
from tests.system import serving, site_state
from tests.system.faults import (
    WriterProbe,
    ext4_volume,
    fill,
    is_read_only,
    kill_inside_write,
    small_disk,
    sqlite_file,
)
from tests.system.fixtures import Database, new_database
from tests.system.newsroom import Newsroom, step_done
from tests.system.serving import BROWSER_UA, FLAGSHIP_SLUG, Site

pytestmark = [pytest.mark.system, pytest.mark.xdist_group("faults")]

TITLE = "The Annealing of Window Glass"
SLUG = "annealing-window-glass"
# Long enough that a publish takes a good part of a second (every paragraph cites a
# note): the kill lands inside its transaction, not before or after it.
NOTES = 1500
BODY = (
    "\n\n".join(
        f"Glass cooled too fast keeps stresses that crack it later, a lehr"
        f" at step {n} lets it relax.[^{n}]"
        for n in range(NOTES)
    )
    + "\n\n"
    + "\n".join(f"[^{n}]: Measured at the lehr's zone {n}." for n in range(NOTES))
)


def assert_whole(site: Site, pk: int, *, published: bool) -> dict:
    """The article is published everywhere, or nowhere: database and pages agree."""
    found = site_state.ask(site.env, "publication", pk=pk)
    assert found["index_matches"] and found["related_shown"], found
    assert found["terms_shown"], found
    assert found["database"] in ({}, site_state.HEALTHY), found["database"]
    if published:
        assert found["status"] == "published" and found["first_published"], found
        assert found["indexed"] and found["terms"] and found["related_terms"], found
        assert found["events"].count("published") == found["audited"] == 1, found
    else:
        assert found["status"] == "draft" and not found["first_published"], found
        assert not (found["indexed"] or found["terms"] or found["related_terms"])
        assert "published" not in found["events"] and not found["audited"], found
    page = site.fetch(f"/articles/{SLUG}/")
    assert page.status == (200 if published else 404)
    for path in ("/", "/feed/", "/search/?q=annealing+lehr"):
        assert (f"/articles/{SLUG}/" in site.fetch(path).text) == published, path
    return found


def started(action) -> threading.Thread:
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def quiet_site(site_env: dict[str, str], database: Database) -> Iterator[Site]:
    """The demo site with no writer of its own: no scheduler passes, so the only
    write transactions are the ones a test starts."""
    env = {**site_env, **database.env, "BROADSHEET_SCHEDULER_SECONDS": "0"}
    with serving.served_site(env) as site:
        yield site


def test_a_server_killed_inside_a_publish_restarts_with_it_whole_or_not_at_all(
    quiet_site: Site, database: Database, record_property
):
    site = quiet_site
    desk = Newsroom.log_in(site, "admin", serving.printed_password(site.demo_output))
    author = site.shell(
        "from broadsheet.content.models import Author\n"
        "print(Author.objects.order_by('pk').first().pk)"
    ).split()[-1]
    fields = {"title": TITLE, "slug": SLUG, "body": BODY, "authors": [author]}
    pk, _ = desk.create(fields)
    for path in ("/", "/feed/"):  # cached before the kill
        site.fetch(path)
    version = site_state.ask(site.env, "publication", pk=pk)["version"]
    probe = WriterProbe(database, sqlite_file(site.env))
    publish = started(lambda: _ignore_no_answer(desk.save, pk, fields, "publish"))
    share = random.uniform(0.1, 0.6)
    try:
        # The edit is saved in one transaction, then published in another: kill
        # inside the second, a random share of the first's length into it.
        finished, into = kill_inside_write(
            probe,
            site.process.pid,
            after=1,
            into=lambda done: share * done[0],
            alive=publish.is_alive,
        )
        site.process.wait(timeout=10)
        probe.wait_until_idle()
    finally:
        probe.close()
    publish.join(timeout=30)

    with serving.serve(site.env, site.demo_output, port=_port(site)) as restarted:
        # The save before it committed; of the publish, nothing.
        assert assert_whole(restarted, pk, published=False)["version"] == version + 1
        # The next try publishes it whole.
        answer = desk_on(restarted, desk).save(pk, fields, step="publish")
        assert step_done(answer, "Publish"), answer.text[:2000]
        assert_whole(restarted, pk, published=True)
    line = (
        f"kill -9 in a publish [{database.vendor}]: saved in {finished[0]:.2f} s,"
        f" killed {into:.2f} s into the publish; after restart not published,"
        " then published whole"
    )
    print(line)
    record_property("figures", line)


def _ignore_no_answer(save, pk: int, fields: dict, step: str) -> None:
    with contextlib.suppress(OSError, http.client.HTTPException):
        save(pk, fields, step=step)  # the server dies under it: that is the point


def _port(site: Site) -> int:
    return int(site.base_url.rpartition(":")[2])


def desk_on(site: Site, desk: Newsroom) -> Newsroom:
    """The same logged-in session (its cookies) on the restarted server."""
    return Newsroom(site, desk.opener)


POSTS = 800  # the import must outlast the kill, 0.3 to 1.5 s into it (150-300 posts/s)


def kitchen_export(path: Path) -> Path:
    """A WordPress export of POSTS posts with terms and view counts."""
    posts = [
        item(
            100 + n,
            title=f"Kiln Note {n}",
            slug=f"kiln-note-{n}",
            content="<p>"
            + " ".join(
                f"Glaze {n} fired at cone six, ash and feldspar in equal parts."
                for _ in range(12)
            )
            + "</p>",
            categories=[("printing", "Printing")],
            tags=[("ink", "Ink")],
            meta=[("views", str(n + 1))],
        )
        for n in range(POSTS)
    ]
    path.write_text(export(*default_header(), *posts))
    return path


def test_an_import_killed_inside_its_transaction_leaves_nothing_and_runs_again_whole(
    site_env: dict[str, str], database: Database, tmp_path: Path, record_property
):
    env = {**site_env, **database.env}
    migrated = serving.broadsheet(env, "manage", "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    before = site_state.ask(env, "import_run")
    wxr = kitchen_export(tmp_path / "kitchen.xml")
    probe = WriterProbe(database, sqlite_file(env))
    importer = subprocess.Popen(
        [str(serving.VENV_BIN / "broadsheet"), "import", "wordpress", str(wxr)],
        env=env,
        cwd=env["BROADSHEET_VAR_DIR"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    into = random.uniform(0.3, 1.5)
    try:
        _finished, at = kill_inside_write(
            probe,
            importer.pid,
            after=0,
            into=lambda done: into,
            alive=lambda: importer.poll() is None,
        )
        importer.wait(timeout=10)
        probe.wait_until_idle()
    finally:
        probe.close()

    # Not one post, author, term, redirect or view count of it is left.
    assert site_state.ask(env, "import_run") == before
    again = serving.broadsheet(env, "import", "wordpress", str(wxr), timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"posts created: {POSTS}" in again.stdout, again.stdout
    after = site_state.ask(env, "import_run")
    assert after["articles"] == before["articles"] + POSTS
    assert after["imported"] == after["view_rows"] == POSTS
    assert after["redirects"] >= POSTS  # each post's old address, at least
    assert after["database"] in ({}, site_state.HEALTHY)
    check = serving.broadsheet(env, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    line = (
        f"kill -9 in an import [{database.vendor}]: killed {at:.2f} s into its"
        f" transaction; nothing left; the re-run imported all {POSTS} posts"
    )
    print(line)
    record_property("figures", line)


@pytest.fixture
def site_on_small_disk(
    tmp_path: Path, database: Database
) -> Iterator[tuple[Site, Path]]:
    """The demo site with its var/ (and so its SQLite database) on a 64 MB disk."""
    with small_disk(tmp_path / "disk", 64) as disk:
        var = disk / "var"
        var.mkdir()
        env = {**serving.make_site_env(var), **database.env}
        with serving.served_site(env) as site:
            yield site, disk
            print(f"--- broadsheet serve log ---\n{site.server_log()}")


def views_after_flush(site: Site, expected: int) -> int:
    """The flagship's count once the workers' flushes (every 2 s) reached
    `expected`, and one flush more (a batch counted twice would show)."""
    deadline = time.monotonic() + 20
    while site.view_count() < expected and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2.5)
    return site.view_count()


def test_on_a_full_disk_readers_are_served_writers_told_and_nothing_is_corrupted(
    site_on_small_disk: tuple[Site, Path], database: Database, record_property
):
    site, disk = site_on_small_disk
    desk = Newsroom.log_in(site, "admin", serving.printed_password(site.demo_output))
    author = site.shell(
        "from broadsheet.content.models import Author\n"
        "print(Author.objects.order_by('pk').first().pk)"
    ).split()[-1]
    draft = {
        "title": "Proofing Baskets",
        "slug": "proofing-baskets",
        "body": "Cane baskets hold the dough's shape while it rises.",
        "authors": [author],
    }
    pk, _ = desk.create(draft)
    article = f"/articles/{FLAGSHIP_SLUG}/"
    kept = ["/", "/feed/", article, "/tags/"]
    for path in kept * 2:  # the second answer comes from the page cache
        site.fetch(path)
    views = site.view_count()
    if database.vendor == "sqlite":
        # The journal of the database keeps the room it grew to: empty it, as a
        # checkpoint does, so that the database's next write needs new space.
        with sqlite3.connect(sqlite_file(site.env), timeout=20) as db:
            assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    filler = fill(disk)

    for path in kept:
        answer = site.fetch(path, user_agent=BROWSER_UA)  # counted: where to?
        assert (answer.status, answer.headers["X-Broadsheet-Cache"]) == (200, "hit")
    for path in ("/archive/", "/articles/the-nine-oclock-reading/", "/search/?q=ink"):
        assert site.fetch(path, user_agent=BROWSER_UA).status == 200, path
    fuller = {**draft, "body": draft["body"] + " Rice flour keeps it from sticking."}
    published = desk.save(pk, fuller, step="publish")
    autosave = desk.autosave(pk, fuller)
    backup = serving.broadsheet(site.env, "backup", str(disk / "site.tar.gz"))
    if database.vendor == "sqlite":
        # The database is on the full disk: nothing is written, and writers are told.
        assert published.status == autosave.status == 503
        assert "Nothing was saved: the disk is full." in published.text
        assert published.headers["Retry-After"] == "120"
        assert json.loads(autosave.body) == {"error": "the disk is full"}
        assert site.fetch(f"/articles/{draft['slug']}/").status == 404
    else:
        # The database has room, the page cache has none: pages are not kept, and
        # none is left showing what was there before the publish.
        assert step_done(published, "Publish") and autosave.status == 200
        assert "clearing the page cache" in site.server_log()
        assert draft["title"] in site.fetch("/").text
        assert "Rice flour" in site.fetch(f"/articles/{draft['slug']}/").text
    assert backup.returncode == 1 and "Traceback" not in backup.stderr
    assert "No space left on device" in backup.stderr, backup.stderr
    assert not list(disk.glob("*site.tar.gz*")), "a half backup was left"

    filler.unlink()
    again = desk.save(
        pk, fuller, step="" if database.vendor == "postgres" else "publish"
    )
    assert again.status == 200, again.text[:2000]
    assert "Rice flour" in site.fetch(f"/articles/{draft['slug']}/").text
    found = site_state.ask(site.env, "publication", pk=pk)
    assert found["status"] == "published" and "Rice flour" in found["body"]
    assert found["database"] in ({}, site_state.HEALTHY), found["database"]
    assert found["index_matches"] and found["related_shown"], found
    # Views read while the disk was full could not be kept; from now on each one is.
    assert "view(s) not counted: OSError: [Errno 28]" in site.server_log()
    for _ in range(5):
        site.fetch(article, user_agent=BROWSER_UA)
    assert views_after_flush(site, views + 5) == views + 5
    line = (
        f"disk full [{database.vendor}]: cached pages 200 (hits), uncached 200;"
        f" publish {published.status}, autosave {autosave.status},"
        f" backup exit {backup.returncode}; after freeing: saved, integrity ok,"
        " views exact again"
    )
    print(line)
    record_property("figures", line)


def assert_writers_told(desk: Newsroom, pk: int, fields: dict, reason: str) -> None:
    """A save, a publish and an autosave each get 503 with the reason."""
    for answer in (desk.save(pk, fields), desk.save(pk, fields, step="publish")):
        assert answer.status == 503, (answer.status, answer.text[:2000])
        assert f"Nothing was saved: {reason}." in answer.text
        assert answer.headers["Retry-After"] == "120"
    autosave = desk.autosave(pk, fields)
    assert (autosave.status, json.loads(autosave.body)) == (503, {"error": reason})


def assert_readers_served(site: Site, kept: list[str]) -> None:
    for path in kept:
        answer = site.fetch(path, user_agent=BROWSER_UA)
        assert (answer.status, answer.headers["X-Broadsheet-Cache"]) == (200, "hit")
    for path in ("/archive/", "/articles/the-nine-oclock-reading/", "/search/?q=ink"):
        assert site.fetch(path, user_agent=BROWSER_UA).status == 200, path


@contextlib.contextmanager
def restarted_read_only(site: Site) -> Iterator[Site]:
    """Restart the server while the database takes no writes: it starts, says so
    and serves the pages (rendered again: a start retires the cached ones), each
    reader's view counted (spooled) once more."""
    serving.terminate_group(site.process)
    with serving.serve(site.env, site.demo_output, port=_port(site)) as again:
        assert "Warning: the database refused a write" in again.server_log()
        for path in [*KEPT, "/archive/", "/search/?q=ink"]:
            assert again.fetch(path, user_agent=BROWSER_UA).status == 200, path
        yield again


KEPT = ["/", "/feed/", f"/articles/{FLAGSHIP_SLUG}/", "/tags/"]
LOAF = {
    "title": "Proofing Baskets",
    "slug": "proofing-baskets",
    "body": "Cane baskets hold the dough's shape while it rises.",
}


def start_writing(site: Site) -> tuple[Newsroom, int, dict]:
    """Log in, start a draft and have the page cache keep KEPT."""
    desk = Newsroom.log_in(site, "admin", serving.printed_password(site.demo_output))
    author = site.shell(
        "from broadsheet.content.models import Author\n"
        "print(Author.objects.order_by('pk').first().pk)"
    ).split()[-1]
    fields = {**LOAF, "authors": [author]}
    pk, _ = desk.create(fields)
    for path in KEPT * 2:  # the second answer comes from the page cache
        site.fetch(path)
    return desk, pk, fields


@pytest.mark.postgres
def test_a_read_only_postgresql_database_keeps_readers_and_tells_writers(
    site_env: dict[str, str], request, record_property
):
    database = new_database(request, "postgres")
    name = database.url.rpartition("/")[2]
    env = {**site_env, **database.env}

    def read_only(on: bool) -> None:
        """Set the database's default, and end its sessions so each takes it."""
        with psycopg.connect(database.url, autocommit=True) as admin:
            admin.execute("SET default_transaction_read_only = off")  # this session
            setting = (
                "SET default_transaction_read_only = on"
                if on
                else "RESET default_transaction_read_only"
            )
            admin.execute(f'ALTER DATABASE "{name}" {setting}')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )

    with serving.served_site(env) as site:
        desk, pk, fields = start_writing(site)
        views = site.view_count()
        read_only(True)
        assert_readers_served(site, KEPT)
        changed = {**fields, "body": fields["body"] + " Linen liners stop sticking."}
        assert_writers_told(desk, pk, changed, "the database or its disk is read-only")
        with restarted_read_only(site) as again:
            found = site_state.ask(again.env, "publication", pk=pk)
            assert found["status"] == "draft" and "Linen" not in found["body"]

            read_only(False)
            answer = desk_on(again, desk).save(pk, changed, step="publish")
            assert step_done(answer, "Publish"), answer.text[:2000]
            assert "Linen liners" in again.fetch(f"/articles/{LOAF['slug']}/").text
            # The views read meanwhile waited in the spool: all are counted now.
            assert views_after_flush(again, views + 2) == views + 2
    line = (
        "read-only database [postgres]: cached and uncached pages 200; save, publish"
        " and autosave 503 with the reason; writable again: published, views exact"
    )
    print(line)
    record_property("figures", line)


def test_a_database_disk_gone_read_only_keeps_readers_and_tells_writers(
    site_env: dict[str, str], tmp_path: Path, record_property
):
    """SQLite on an ext4 volume that an error turns read-only (errors=remount-ro)
    under the running server; as root, a read-only file mode would not stop it."""
    volume = tmp_path / "volume"
    with ext4_volume(volume, 64) as fail:
        env = {**site_env, "DATABASE_URL": f"sqlite:///{volume}/broadsheet.sqlite3"}
        with serving.served_site(env) as site:
            desk, pk, fields = start_writing(site)
            views = site.view_count()
            fail()
            assert is_read_only(volume)
            assert_readers_served(site, KEPT)
            changed = {
                **fields,
                "body": fields["body"] + " Linen liners stop sticking.",
            }
            assert_writers_told(
                desk, pk, changed, "the disk holding the database failed a write"
            )
            with restarted_read_only(site):
                pass
        # The database copied off the failed disk, as an operator would.
        rescued = tmp_path / "rescued"
        rescued.mkdir()
        for name in ("broadsheet.sqlite3", "broadsheet.sqlite3-wal"):
            if (volume / name).exists():
                shutil.copy(volume / name, rescued / name)
    env["DATABASE_URL"] = f"sqlite:///{rescued}/broadsheet.sqlite3"
    found = site_state.ask(env, "publication", pk=pk)
    assert found["database"] == site_state.HEALTHY, found["database"]
    assert found["status"] == "draft" and "Linen" not in found["body"]
    # The views read meanwhile waited in the spool, which is on another disk.
    flushed = serving.broadsheet(env, "flush-views")
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr
    assert site_state.ask(env, "views", slug=FLAGSHIP_SLUG) == views + 2
    line = (
        "read-only database [sqlite]: cached and uncached pages 200; save, publish"
        " and autosave 503 with the reason; the rescued copy checks whole, every"
        " view kept"
    )
    print(line)
    record_property("figures", line)
