"""Faults for the system tests to cause: a kill at a moment inside a write
transaction, a full disk, a database volume that turns read-only."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from tests.system.fixtures import Database


class WriterProbe:
    """Tells whether another process holds a write transaction open on a database.

    SQLite: the write lock (Broadsheet's transactions take it at BEGIN IMMEDIATE), so
    a try to take it fails at once. PostgreSQL: a session of the database that has a
    transaction id, which a transaction gets with its first write or row lock.
    """

    def __init__(self, database: Database, sqlite_path: Path | None) -> None:
        if database.vendor == "sqlite":
            assert sqlite_path is not None
            self._sqlite = sqlite3.connect(sqlite_path, timeout=0, isolation_level=None)
            self._postgres = None
        else:
            self._sqlite = None
            self._postgres = psycopg.connect(database.url, autocommit=True)

    def writing(self) -> object | None:
        """Something naming the open write transaction, or None when there is none."""
        if self._sqlite is not None:
            try:
                self._sqlite.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return "locked"
            self._sqlite.execute("ROLLBACK")
            return None
        row = self._postgres.execute(
            "SELECT backend_xid::text FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_xid IS NOT NULL LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def wait_until_idle(self, timeout: float = 10) -> None:
        """Wait for the killed process's transaction to be gone (PostgreSQL aborts it
        when it notices the client left)."""
        deadline = time.monotonic() + timeout
        while self.writing() is not None:
            assert time.monotonic() < deadline, "a killed transaction is still open"
            time.sleep(0.01)

    def close(self) -> None:
        (self._sqlite or self._postgres).close()


def sqlite_file(env: dict[str, str]) -> Path:
    """The SQLite database file of the site in `env`."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite://"))
    return Path(env["BROADSHEET_VAR_DIR"]) / "broadsheet.sqlite3"


def kill_inside_write(
    probe: WriterProbe,
    group: int,
    *,
    after: int,
    into: Callable[[list[float]], float],
    alive: Callable[[], bool],
    long: float = 0.1,
    timeout: float = 120,
) -> tuple[list[float], float]:
    """SIGKILL process group `group` inside a long write transaction.

    Lets `after` write transactions of at least `long` seconds finish (shorter ones,
    such as the page cache's journal rows, are not counted), then kills the group
    `into(durations of those)` seconds into the next long one. Returns the durations
    and how far into the transaction the kill came. Fails when `alive()` turns false
    first: the work ended before it could be killed.
    """
    finished: list[float] = []
    current, started = None, 0.0
    deadline = time.monotonic() + timeout
    while True:
        now, writer = time.monotonic(), probe.writing()
        if writer != current:
            if current is not None and now - started >= long:
                finished.append(now - started)
            current, started = writer, now
        if (
            current is not None
            and len(finished) >= after
            and now - started >= max(long, into(finished))
        ):
            os.killpg(group, signal.SIGKILL)
            return finished, now - started
        assert alive(), f"it ended before the kill (transactions seen: {finished})"
        assert now < deadline, f"no transaction to kill (seen: {finished})"


@contextlib.contextmanager
def small_disk(path: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of `megabytes` mounted at `path`; skips when mounting is not allowed."""
    path.mkdir()
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", path)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk to fill: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        _run("umount", "-l", path)


def fill(disk: Path) -> Path:
    """Write a file on `disk` until no byte is left; return it (delete it to free)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            chunk = b"\0" * size
            with contextlib.suppress(OSError):
                while os.write(fd, chunk) == size:
                    pass
    finally:
        os.close(fd)
    assert os.statvfs(disk).f_bavail == 0, "the disk still has room"
    return filler


@contextlib.contextmanager
def ext4_volume(path: Path, megabytes: int) -> Iterator[Callable[[], None]]:
    """An ext4 file system in a loop device at `path` that turns read-only on an
    error (`errors=remount-ro`), as a failing disk does; yield the function that
    makes it fail. Skips when loop devices, mkfs.ext4 or the trigger are missing."""
    image = path.with_name(path.name + ".img")
    with image.open("wb") as file:
        file.truncate(megabytes << 20)
    made = _run("mkfs.ext4", "-q", "-F", image)
    if made.returncode != 0:
        pytest.skip(f"cannot make an ext4 volume: {made.stderr.strip()}")
    path.mkdir()
    mounted = _run("mount", "-o", "loop,errors=remount-ro", image, path)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a loop device: {mounted.stderr.strip()}")
    try:
        device = next(
            line.split()[0]
            for line in Path("/proc/mounts").read_text().splitlines()
            if line.split()[1] == str(path)
        )
        trigger = Path("/sys/fs/ext4") / Path(device).name / "trigger_fs_error"
        if not trigger.exists():
            pytest.skip(f"this kernel has no {trigger}")
        yield lambda: trigger.write_text("system test: the disk fails\n")
    finally:
        _run("umount", "-l", path)
        image.unlink(missing_ok=True)


def is_read_only(path: Path) -> bool:
    try:
        (path / ".probe").touch()
    except OSError as error:
        return error.errno == errno.EROFS
    return False


def _run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, check=False
    )
