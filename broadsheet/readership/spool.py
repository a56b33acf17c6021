"""Spool views to append-only files and move them into the database exactly once.

The embedded default (no Redis): a view costs the hot path one write(2) of a short
line to this process's spool file, opened O_APPEND, which survives a crash of the
process once written. A flusher thread renames the file from active-<id>.log to
batch-<id>.log (after switching writers to a fresh file), adds its lines to
DailyViews in one transaction that records <id> as a FlushedBatch, then deletes the
file. Any process's flusher also takes over files of processes that died. Pending
views are those in files whose <id> is not yet recorded, so a reader adding them to
the database total never counts a view twice.
"""

from __future__ import annotations

import collections
import datetime
import errno
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from broadsheet.readership.models import FlushedBatch

Rows = list[tuple[int, datetime.date, int]]


class Spool:
    """This process's spool: one active file at a time, swapped on every flush."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.lock = threading.Lock()
        self.fd: int | None = None
        self.name = ""
        self.pid = 0

    def add(self, article_id: int, day: datetime.date, count: int) -> None:
        line = f"{article_id} {day.isoformat()} {count}\n".encode()
        with self.lock:
            if self.fd is None or self.pid != os.getpid():  # new file after a fork
                self._open()
            written = os.write(self.fd, line)  # OSError: nothing written
            if written < len(line):
                # A full disk took part of the line: the next line must not be
                # appended to it, so this file ends here, as a batch.
                self._seal()
                raise OSError(errno.ENOSPC, "view line cut short", str(self.directory))

    def seal(self) -> None:
        """Close the active file and mark it as a batch ready for the database."""
        with self.lock:
            self._seal()

    def _seal(self) -> None:
        if self.fd is None or self.pid != os.getpid():
            return
        os.close(self.fd)
        self.fd = None
        active = self.directory / f"active-{self.pid}-{self.name}.log"
        active.rename(self.directory / f"batch-{self.pid}-{self.name}.log")

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.pid, self.name = os.getpid(), uuid.uuid4().hex
        path = self.directory / f"active-{self.pid}-{self.name}.log"
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)


_spool: Spool | None = None
_spool_var_dir: object = None


def directory() -> Path:
    return Path(settings.VAR_DIR) / "views"


def spool() -> Spool:
    """This process's spool under the current VAR_DIR (tests switch it)."""
    global _spool, _spool_var_dir
    var_dir = settings.VAR_DIR
    # Compared as the setting itself: building the Path on every view cost more
    # than the rest of counting it (cf. pagecache.store._generation_map).
    if _spool is None or var_dir is not _spool_var_dir:
        _spool, _spool_var_dir = Spool(directory()), var_dir
    return _spool


def add(article_id: int, *, count: int, day: datetime.date) -> None:
    """Spool views of an article (one write(2))."""
    spool().add(article_id, day, count)


def flush(upsert: Callable[[Rows], None]) -> int:
    """Seal this process's file, then move every batch into the database."""
    spool().seal()
    _adopt_files_of_dead_processes()
    moved = 0
    for path in sorted(directory().glob("batch-*.log")):
        moved += _flush_file(path, upsert)
    return moved


def _flush_file(path: Path, upsert: Callable[[Rows], None]) -> int:
    totals: collections.Counter[tuple[int, datetime.date]] = collections.Counter()
    for article_id, day, count in _read(path):
        totals[(article_id, day)] += count
    rows = [(article_id, day, count) for (article_id, day), count in totals.items()]
    try:
        with transaction.atomic():
            FlushedBatch.objects.create(name=_batch_name(path))
            upsert(rows)
    except IntegrityError:
        rows = []  # another process already counted this batch
    path.unlink(missing_ok=True)
    return sum(count for _, _, count in rows)


def _read(path: Path) -> Iterator[tuple[int, datetime.date, int]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    # A busy page writes the same line thousands of times between flushes: counting
    # equal lines first (in C) leaves a handful to parse, where parsing each one
    # held the interpreter lock for tens of ms, stalling that worker's readers.
    for line, times in collections.Counter(data.splitlines()).items():
        parts = line.split()
        if len(parts) == 3:  # a line cut short by a crash mid-write is dropped
            day = datetime.date.fromisoformat(parts[1].decode())
            yield int(parts[0]), day, int(parts[2]) * times


def _spool_files() -> Iterator[Path]:
    if directory().is_dir():
        yield from directory().glob("*.log")


def _batch_name(path: Path) -> str:
    return "spool-" + path.stem.split("-", 1)[1]


def _adopt_files_of_dead_processes() -> None:
    for path in directory().glob("active-*.log") if directory().is_dir() else []:
        pid = int(path.stem.split("-")[1])
        if pid != os.getpid() and not _is_alive(pid):
            path.rename(path.with_name(path.name.replace("active-", "batch-", 1)))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
