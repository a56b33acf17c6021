"""The scheduler: publishes scheduled articles when their time comes, nobody present.

Every server process may run the loop (docs/decisions/0014-scheduler.md); a database
lease lets one of them at a time make the passes. The lease is for economy, not for
correctness: publish_due() locks the rows it flips, so even two passes at once
publish each article once.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import secrets
import socket
import threading
from multiprocessing import util as multiprocessing_util

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.publishing.models import Lease
from broadsheet.publishing.services import publish_due

logger = logging.getLogger(__name__)

PUBLISH_DUE = "publish-due"  # the lease's name


def lease_seconds(interval: float) -> float:
    """How long a lease lasts for passes every `interval` seconds: several passes, so
    a busy moment does not lose it, and few enough that a dead holder's successor
    starts within seconds."""
    return max(5.0, 5 * interval)


def take_lease(
    name: str,
    holder: str,
    *,
    seconds: float,
    now: datetime.datetime | None = None,
) -> bool:
    """Take or renew the lease `name` for `holder`; False while another holds it.

    One statement, atomic on SQLite and PostgreSQL alike: it inserts the lease, or
    takes it over when it is this holder's or has run out, or changes nothing.
    """
    now = now or timezone.now()
    table = Lease._meta.db_table
    sql = (
        f"INSERT INTO {table} (name, holder, expires_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (name) DO UPDATE"
        " SET holder = excluded.holder, expires_at = excluded.expires_at"
        f" WHERE {table}.holder = excluded.holder OR {table}.expires_at <= %s"
    )
    until = now + datetime.timedelta(seconds=seconds)
    adapt = connection.ops.adapt_datetimefield_value  # SQLite stores naive UTC text
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, holder, adapt(until), adapt(now)])
        return cursor.rowcount == 1


def release_lease(name: str, holder: str) -> None:
    """Give up `holder`'s lease at once, so a successor need not wait for it to end."""
    Lease.objects.filter(name=name, holder=holder).update(expires_at=timezone.now())


def process_holder() -> str:
    """A holder name unique to this process: host, process id and a random token
    (a restarted server may get the old process id back)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Scheduler:
    """Passes that publish what is due, made only while holding the lease."""

    def __init__(self, *, holder: str | None = None, interval: float = 1.0) -> None:
        self.holder = holder or process_holder()
        self.interval = interval
        self.lease_seconds = lease_seconds(interval)
        self._held_until: datetime.datetime | None = None

    def run_once(self, now: datetime.datetime | None = None) -> list[Article]:
        """One pass: hold the lease, then publish what is due; return what it published.

        An idle pass is one small read: whether anything is due (by the holder), or
        who holds the lease (by the others); the holder renews every half lease.
        """
        now = now or timezone.now()
        if not self.holds_lease(now):
            return []
        if not Article.objects.due_for_publication(now).exists():
            return []  # no transaction: on SQLite one would take the write lock
        published = publish_due(now)
        for article in published:
            logger.info(
                "Published scheduled article %s \u201c%s\u201d (due %s).",
                article.pk,
                article.title,
                article.published_at.isoformat(timespec="seconds"),
            )
        return published

    def holds_lease(self, now: datetime.datetime) -> bool:
        """Whether this scheduler holds the lease at `now`, taking or renewing it."""
        half = datetime.timedelta(seconds=self.lease_seconds / 2)
        if self._held_until is not None and now < self._held_until - half:
            return True  # nobody may take it before it runs out: no query needed
        self._held_until = None
        current = Lease.objects.filter(name=PUBLISH_DUE).values_list(
            "holder", "expires_at"
        )
        row = current.first()
        if row is not None and row[0] != self.holder and row[1] > now:
            return False
        if not take_lease(
            PUBLISH_DUE, self.holder, seconds=self.lease_seconds, now=now
        ):
            return False
        self._held_until = now + datetime.timedelta(seconds=self.lease_seconds)
        return True

    def release(self) -> None:
        """Give the lease up (on the way out), if this scheduler holds it."""
        if self._held_until is None:
            return
        self._held_until = None
        try:
            release_lease(PUBLISH_DUE, self.holder)
        except Exception:  # the database is gone: the lease runs out by itself
            logger.warning("Could not release the scheduler's lease.", exc_info=True)

    def run_forever(self, stop: threading.Event) -> None:
        """Make a pass every interval until `stop` is set."""
        # Event.wait sleeps outside the interpreter lock: between passes the thread
        # costs the server's request threads nothing.
        while not stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # a locked or lost database: the next pass tries again
                logger.exception("The scheduler's pass failed; it will try again.")
            finally:
                close_old_connections()


_started_pid = 0
_start_lock = threading.Lock()


def start_in_background() -> threading.Thread | None:
    """Start this process's scheduler thread once, when the settings ask for it.

    BROADSHEET_RUN_SCHEDULER (set by `broadsheet serve` for its workers) says
    whether this process runs one; BROADSHEET_SCHEDULER_SECONDS=0 turns it off.
    """
    global _started_pid
    interval = settings.BROADSHEET_SCHEDULER_SECONDS
    if not settings.BROADSHEET_RUN_SCHEDULER or interval <= 0:
        return None
    with _start_lock:
        if _started_pid == os.getpid():
            return None
        first = _started_pid == 0
        _started_pid = os.getpid()
    scheduler = Scheduler(interval=interval)
    stop = threading.Event()
    thread = threading.Thread(
        target=scheduler.run_forever, args=(stop,), name="scheduler", daemon=True
    )
    thread.start()

    pid = os.getpid()

    def shut_down() -> None:
        if os.getpid() != pid:
            return  # inherited by a forked child: the lease is its parent's
        stop.set()
        thread.join(timeout=5)
        scheduler.release()

    atexit.register(shut_down)
    # Worker processes of multiprocessing (granian's) leave through os._exit, which
    # skips atexit; its own exit hooks still run.
    multiprocessing_util.Finalize(None, shut_down, exitpriority=10)
    if first:
        # A server that loads the application and then forks its workers (gunicorn
        # --preload) gets a scheduler in each child too.
        os.register_at_fork(after_in_child=_start_in_child)
    return thread


def _start_in_child() -> None:
    global _start_lock
    _start_lock = threading.Lock()  # a thread of the parent may have held it
    start_in_background()
