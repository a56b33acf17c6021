"""The server's ceiling (a bare WSGI callable) and this machine next to the issue's.

What the issue measured on its 2-core machine, for orientation: nginx serving a
39 KB page, and granian (2 workers) serving the same bytes from a bare WSGI
callable. The absolute targets (p99 < 10 ms, cold render < 20 ms) were set
against a machine this fast; the flagship here is 80 KB, so the run measures the
machine with a 39 KB body as well, like for like.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .servers import start_broadsheet

if TYPE_CHECKING:
    from .session import Bench

ISSUE_PAGE_BYTES = 39 * 1024
ISSUE_NGINX_RPS = 42_000
ISSUE_BARE_RPS = 26_000
CALIBRATION_PATH = "/calibration.html"


def measure_bare_callable(
    bench: Bench, name: str, body: bytes, path: str, *, var_dir: Path
) -> dict[str, object]:
    """granian, under `broadsheet serve`'s flags, serving `body` from a bare WSGI
    callable: the ceiling of any Python application for those bytes."""
    body_file = bench.tmp / "bare" / f"{len(body)}.html"
    body_file.parent.mkdir(exist_ok=True)
    body_file.write_bytes(body)
    bare, base = start_broadsheet(
        var_dir,
        cache=True,
        workers=bench.args.workers,
        logs=bench.logs,
        bare_body=body_file,
    )
    try:
        return bench.measure(name, base + path, bare, cached=True)
    finally:
        bare.stop()


def calibrate(bench: Bench, body: bytes) -> dict[str, object]:
    """nginx and the bare callable serving the issue's page size, one after the
    other: this run's machine next to the issue's."""
    page = body[:ISSUE_PAGE_BYTES]
    (bench.tmp / "nginx" / "root" / CALIBRATION_PATH.strip("/")).write_bytes(page)
    nginx_39 = bench.measure(
        "nginx: 39 KB file (the issue's page size)",
        bench.nginx_base + CALIBRATION_PATH,
        bench.nginx,
        cached=True,
    )
    bare_39 = measure_bare_callable(
        bench,
        "bare WSGI callable, 39 KB (the issue's page size)",
        page,
        CALIBRATION_PATH,
        var_dir=bench.tmp / "demo",
    )
    return {
        "bytes": len(page),
        "nginx_rps": nginx_39["rps"],
        "bare_rps": bare_39["rps"],
        "nginx_of_issue": round(nginx_39["rps"] / ISSUE_NGINX_RPS, 3),
        "bare_of_issue": round(bare_39["rps"] / ISSUE_BARE_RPS, 3),
    }


def machine_speed(calibration: dict[str, object] | None) -> str:
    """The table's words for the calibration ("" when it did not run)."""
    if not calibration:
        return ""
    return (
        f"; the machine, serving the issue's {ISSUE_PAGE_BYTES // 1024} KB page: "
        f"nginx {calibration['nginx_rps']:,.0f} req/s "
        f"({calibration['nginx_of_issue']:.0%} of the issue's {ISSUE_NGINX_RPS:,}), "
        f"bare callable {calibration['bare_rps']:,.0f} "
        f"({calibration['bare_of_issue']:.0%} of {ISSUE_BARE_RPS:,})"
    )
