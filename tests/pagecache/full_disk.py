"""The page cache's backend as it behaves on a full disk, for the cache tests."""

from __future__ import annotations

import errno
from collections.abc import Callable


def disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


class FullDiskCache:
    """Wraps a cache: the methods named raise ENOSPC, the others work."""

    def __init__(self, cache: object, *failing: str) -> None:
        self.cache, self.failing = cache, failing

    def __getattr__(self, name: str) -> Callable:
        return disk_full if name in self.failing else getattr(self.cache, name)
