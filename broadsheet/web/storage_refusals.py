"""Tell a write the storage refused (a full disk, a read-only database) from a bug.

Such a failure is the operator's to fix and passes when they do, so the site
answers it with 503 and says what happened, instead of the 500 of an error in the
code (docs/decisions/0025-storage-refusals.md).
"""

from __future__ import annotations

import errno
import sqlite3

# OSError numbers, SQLite result codes (the low byte of an extended code) and
# PostgreSQL SQLSTATEs that mean the disk or the database will not take a write.
DISK_FULL = "the disk is full"
READ_ONLY = "the database or its disk is read-only"
DISK_FAILED = "the disk holding the database failed a write"
OS_ERRORS = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EIO: DISK_FAILED,
}
SQLITE_CODES = {
    sqlite3.SQLITE_FULL: DISK_FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_IOERR: DISK_FAILED,
}
SQLSTATES = {
    "53100": DISK_FULL,  # disk_full
    "25006": READ_ONLY,  # read_only_sql_transaction
    "58030": DISK_FAILED,  # io_error
}


def storage_refusal(error: BaseException | None) -> str | None:
    """Say why storage refused a write ("the disk is full"), or None when `error`
    (or what caused it) is no such refusal."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        reason = _reason(error)
        if reason:
            return reason
        error = error.__cause__ or error.__context__
    return None


def _reason(error: BaseException) -> str | None:
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return SQLITE_CODES.get(code & 0xFF) if code is not None else None
    if isinstance(error, OSError):
        return OS_ERRORS.get(error.errno)
    sqlstate = getattr(error, "sqlstate", None)  # psycopg's errors
    return SQLSTATES.get(sqlstate) if isinstance(sqlstate, str) else None
