"""Buffer views in Redis and move them into the database exactly once.

With REDIS_URL set, a view costs the hot path one HINCRBY. A flusher (the thread
readership.counting starts in each server process, or `broadsheet flush-views`)
renames the pending hash to a batch key, which is atomic, adds the batch to
DailyViews in one transaction that also records the batch name, then deletes the
key. A crash at any point leaves either the pending hash or a batch key, which the
next flush picks up; the recorded batch name stops a batch being counted twice.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction

from broadsheet.readership.models import FlushedBatch

if TYPE_CHECKING:
    import redis

PENDING = "broadsheet:views:pending"
BATCH_PREFIX = "broadsheet:views:batch:"


@cache
def client() -> redis.Redis:
    import redis  # only with REDIS_URL set: importing it costs every process 0.1 s

    return redis.Redis.from_url(settings.REDIS_URL)


def add(article_id: int, *, count: int, day: datetime.date) -> None:
    """Add views to the pending hash (one round trip)."""
    client().hincrby(PENDING, f"{article_id}:{day.isoformat()}", count)


def flush(upsert) -> int:
    """Move every pending and leftover batch into the database; return views moved."""
    import redis

    connection = client()
    with contextlib.suppress(redis.ResponseError):  # raised when nothing is pending
        connection.rename(PENDING, BATCH_PREFIX + uuid.uuid4().hex)
    moved = 0
    for key in connection.scan_iter(match=BATCH_PREFIX + "*"):
        moved += _flush_batch(connection, key.decode(), upsert)
    return moved


def _flush_batch(connection: redis.Redis, key: str, upsert) -> int:
    rows = []
    for field, value in connection.hgetall(key).items():
        article_id, day = field.decode().split(":")
        rows.append((int(article_id), datetime.date.fromisoformat(day), int(value)))
    try:
        with transaction.atomic():
            FlushedBatch.objects.create(name=key.removeprefix(BATCH_PREFIX))
            upsert(rows)
    except IntegrityError:
        rows = []  # another flusher already counted this batch
    connection.delete(key)
    return sum(count for _, _, count in rows)
