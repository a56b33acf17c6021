"""The run's progress lines on stdout, each stamped with the time of day."""

from __future__ import annotations

import time


def log(message: str) -> None:
    """Print one progress line, stamped and flushed at once."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
