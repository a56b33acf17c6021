"""Backup and restore as an operator runs them: WordPress export -> import ->
backup -> restore into a fresh database (SQLite, PostgreSQL, and across), and a
backup taken while articles are being saved."""

from __future__ import annotations

import json
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from tests.migration.wxr import default_header, export, item
from tests.system import serving
from tests.system.fixtures import new_database

pytestmark = pytest.mark.system
REPO = Path(__file__).resolve().parents[2]
PG = pytest.mark.postgres
PAIRS = [
    pytest.param(("sqlite", "sqlite"), id="sqlite"),
    pytest.param(("postgres", "postgres"), id="postgres", marks=PG),
    pytest.param(("sqlite", "postgres"), id="sqlite-to-postgres", marks=PG),
]


def site(request, tmp_path: Path, name: str, vendor: str, secret: str = "") -> dict:
    """The environment of a fresh site `name` on a fresh database of `vendor`."""
    var = tmp_path / name
    var.mkdir()
    env = serving.make_site_env(var, new_database(request, vendor).url)
    env["PYTHONPATH"] = str(REPO)  # `manage shell` imports tests.migration.site
    env["SECRET_KEY"] = secret or env["SECRET_KEY"]
    return env


def run(env: dict, *args: str) -> subprocess.CompletedProcess[str]:
    result = serving.broadsheet(env, *args, timeout=300)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def shell(env: dict, code: str) -> str:
    return run(env, "manage", "shell", "--no-imports", "-c", code).stdout


def state(env: dict) -> dict:
    return json.loads(
        shell(env, "from tests.migration.site import site_state_json as s; print(s())")
    )


def wordpress_export(path: Path) -> Path:
    path.write_text(
        export(
            *default_header(),
            item(
                1,
                title="Composing Sticks",
                content="<p>Set by hand.</p>",
                categories=[("printing", "Printing")],
                tags=[("type", "Type")],
                meta=[("views", "41")],
            ),
            item(
                2,
                title="Proof Presses",
                slug="proof-presses",
                content="<p>Pulled a proof.[ref]A galley proof.[/ref]</p>",
            ),
            item(3, title="About the press", post_type="page", slug="about-press"),
        )
    )
    return path


@pytest.mark.parametrize("vendors", PAIRS)
def test_wxr_import_backup_restore_on_a_fresh_database_is_identical(
    request, tmp_path, vendors
):
    source, target = vendors
    old = site(request, tmp_path, "old", source)
    run(old, "manage", "migrate", "--verbosity", "0")
    run(old, "import", "wordpress", str(wordpress_export(tmp_path / "wp.xml")))
    shell(old, "from tests.migration.site import build_site; build_site()")
    archive = tmp_path / "site.tar.gz"
    backed_up = run(old, "backup", str(archive))
    assert "6 articles" in backed_up.stdout

    new = site(request, tmp_path, "new", target, secret=old["SECRET_KEY"])
    restored = run(new, "restore", str(archive))

    assert "Restored from" in restored.stdout
    before, after = state(old), state(new)
    assert after["rows"] == before["rows"]
    assert after["media"] == before["media"]
    assert len(after["media"]) == 5
    if source != target:
        # Names sort by the database's collation (SQLite: code points; PostgreSQL:
        # the locale's rules), so the author index may list them in another order.
        for pages in (before["pages"], after["pages"]):
            del pages["/authors/"]
    assert after["pages"] == before["pages"]
    assert before["pages"]["/2019/04/sewing/"][:2] == [301, "/articles/sewing-a-book/"]


@pytest.mark.parametrize("vendor", ["sqlite", pytest.param("postgres", marks=PG)])
def test_a_backup_taken_while_articles_are_saved_is_one_consistent_moment(
    request, tmp_path, vendor
):
    old = site(request, tmp_path, "old", vendor)
    run(old, "manage", "migrate", "--verbosity", "0")
    stop, started = tmp_path / "stop", tmp_path / "started"
    writer = subprocess.Popen(
        [
            str(serving.VENV_BIN / "broadsheet"),
            "manage",
            "shell",
            "-c",
            "from tests.migration.site import keep_writing;"
            f" keep_writing({str(stop)!r}, {str(started)!r})",
        ],
        env=old,
        cwd=old["BROADSHEET_VAR_DIR"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer never got going"
            time.sleep(0.1)
        archive = tmp_path / "busy.tar.gz"
        run(old, "backup", str(archive))
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err

    with tarfile.open(archive) as tar:
        found = {i.name: tar.extractfile(i).read() for i in tar if i.isfile()}
    manifest = json.loads(found["manifest.json"])
    rows = {
        entry["model"]: [
            json.loads(line) for line in found[entry["member"]].splitlines()
        ]
        for entry in manifest["tables"]
    }
    for entry in manifest["tables"]:
        assert len(rows[entry["model"]]) == entry["rows"]
    articles = {row["pk"]: row for row in rows["content.article"]}
    authors = {row["pk"] for row in rows["content.author"]}
    tags = {row["pk"] for row in rows["content.tag"]}
    bylines = rows["content.articleauthor"]
    assert len(articles) >= 5
    assert {row["fields"]["article"] for row in bylines} == set(articles)
    assert {row["fields"]["author"] for row in bylines} == authors
    assert {t for a in articles.values() for t in a["fields"]["tags"]} == tags
    # Every writer transaction is in whole or not at all: n articles, n authors.
    assert len(authors) == len(tags) == len(articles)

    new = site(request, tmp_path, "new", vendor)
    restored = run(new, "restore", str(archive))
    assert f"{len(articles)} articles" in restored.stdout


def test_a_killed_backup_leaves_no_file_under_the_name(request, tmp_path):
    old = site(request, tmp_path, "old", "sqlite")
    run(old, "demo")
    archive = tmp_path / "site.tar.gz"
    backup = subprocess.Popen(
        [str(serving.VENV_BIN / "broadsheet"), "backup", str(archive)],
        env=old,
        cwd=old["BROADSHEET_VAR_DIR"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site.tar.gz.*.partial")):
        assert backup.poll() is None, "the backup ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    backup.kill()
    backup.wait()

    assert not archive.exists()
    # What the kill left is refused as a whole, by name, and changes nothing.
    (partial,) = tmp_path.glob(".site.tar.gz.*.partial")
    new = site(request, tmp_path, "new", "sqlite")
    refused = serving.broadsheet(new, "restore", str(partial))
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "nothing restored" in refused.stderr and "Traceback" not in refused.stderr
    assert "truncated" in refused.stderr, refused.stderr
    run(old, "backup", str(archive))
    assert "46 articles" in run(new, "restore", str(archive)).stdout
