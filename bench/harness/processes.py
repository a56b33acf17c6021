"""Servers as process groups: start, wait for, stop, and read their memory and CPU."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .console import log


def free_port() -> int:
    """A loopback port free at the moment of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, *, headers: dict[str, str] | None = None, timeout: float = 10):
    """GET `url`; returns (status, headers, body)."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def wait_http(url: str, proc: subprocess.Popen | None, timeout: float = 60) -> None:
    """Wait until `url` answers 2xx or 3xx; raises RuntimeError when it answers an
    error, when `proc` exits first or when `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before {url}")
        try:
            fetch(url, timeout=5)
            return
        except urllib.error.HTTPError as exc:
            raise RuntimeError(
                f"{url} answered {exc.code}; see the server log"
            ) from exc
        except Exception as exc:  # noqa: BLE001 (no answer yet)
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s: {last}")


class Process:
    """A server in its own process group, stopped with its whole group.

    A process group, not a session: with the kernel's autogroup scheduling (on
    here) each session gets an equal share of the CPUs, so a server in a session
    of its own was held to half the machine whenever wrk (in ours) was busy. That
    cost granian, whose threads hand requests to each other, 20 % of its
    throughput and doubled its p99, and left nginx's event loops as they were
    (decision 0008, stop 14)."""

    def __init__(self, args, *, env=None, log_path: Path, cwd=None) -> None:
        self.args = [str(a) for a in args]
        self.log_path = log_path
        self.log_file = open(log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.args,
            env=env,
            cwd=cwd,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            process_group=0,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def group_pids(self) -> list[int]:
        """Every live process of the group (the leader and its workers)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    stat = (entry / "stat").read_text()
                    fields = stat[stat.rindex(")") + 2 :].split()
                    if int(fields[2]) == self.proc.pid:  # process group id
                        pids.append(int(entry.name))
        return sorted(pids)

    def stop(self) -> None:
        """Stop the whole group: SIGTERM, then SIGKILL for what is left."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        # workers may outlive the leader for a moment
        for _ in range(50):
            if not self.group_pids():
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log_file.close()


def rss_kib(pid: int) -> int | None:
    """VmRSS of `pid` in KiB, None when it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def cmdline(pid: int) -> str:
    """The command line of `pid`, "" when it is gone."""
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def worker_rss(proc: Process) -> dict[str, object]:
    """RSS of each process in the server's group; workers are the non-leaders."""
    rows = []
    for pid in proc.group_pids():
        kib = rss_kib(pid)
        if kib is not None:
            rows.append(
                {
                    "pid": pid,
                    "role": "main" if pid == proc.pid else "worker",
                    "rss_mb": round(kib / 1024, 1),
                    "cmd": cmdline(pid)[:120],
                }
            )
    return {"processes": rows}


def group_cpu_s(proc: Process) -> float:
    """CPU seconds (user + system, all threads) used so far by the server's group."""
    ticks = 0
    for pid in proc.group_pids():
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_idle(proc: Process, *, timeout: float = 180, window: float = 0.25) -> float:
    """Wait until the server's processes use less than 10 % of a core over `window`
    seconds: requests accepted before wrk stopped are still being served (uncached
    pages at 64 connections leave seconds of backlog). Returns the seconds waited
    (0.0 when the server was idle at the first look)."""
    started = time.monotonic()
    last = group_cpu_s(proc)
    first = True
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = group_cpu_s(proc)
        if now - last < 0.1 * window:
            return 0.0 if first else round(time.monotonic() - started, 1)
        last, first = now, False
    log(f"server still busy after {timeout} s; measuring anyway")
    return round(time.monotonic() - started, 1)
