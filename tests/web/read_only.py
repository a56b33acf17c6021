"""A test database connection that refuses writes, as a read-only database does."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection


@contextlib.contextmanager
def read_only_database() -> Iterator[None]:
    """Make this test's connection refuse writes (SQLite's query_only, PostgreSQL's
    default_transaction_read_only), then take writes again."""
    if connection.vendor == "sqlite":
        on, off = "PRAGMA query_only = ON", "PRAGMA query_only = OFF"
    else:
        on = "SET default_transaction_read_only = on"
        off = "SET default_transaction_read_only = off"
    with connection.cursor() as cursor:
        cursor.execute(on)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(off)
