"""wrk: a scenario's warm-up and measured runs, and what wrk printed for each."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess

from .console import log
from .paths import WRK
from .processes import Process, fetch, group_cpu_s, wait_idle
from .verdicts import pair_with_baseline

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unparsable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, object]:
    """The figures of one `wrk --latency` run: req/s, p50/p90/p99, errors."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rps:
        raise RuntimeError(f"wrk printed no Requests/sec:\n{output}")
    result: dict[str, object] = {"rps": float(rps.group(1))}
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", output, re.M)
        result[f"p{pct}_ms"] = round(_ms(match.group(1)), 3) if match else None
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+),\s+([\d.]+)(\w+) read", output)
    if total:
        result["requests"] = int(total.group(1))
        result["read"] = total.group(4) + total.group(5)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx_3xx"] = int(non2xx.group(1)) if non2xx else 0
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = (
        dict(
            zip(
                ("connect", "read", "write", "timeout"),
                map(int, sock.groups()),
                strict=True,
            )
        )
        if sock
        else {}
    )
    return result


def errors_of(result: dict[str, object]) -> int:
    """Non-2xx/3xx responses and socket errors of a run or a scenario."""
    socket_errors = result.get("socket_errors") or {}
    return int(result.get("non_2xx_3xx") or 0) + sum(socket_errors.values())


class Wrk:
    """wrk runs of one scenario: a warm-up, then `repeats` measured runs.

    The figures of a scenario are the medians of its runs (see `summarize`);
    every run is kept. Between runs the server is left to go idle (`wait_idle`), so a
    run never starts while the server still works through the previous one's
    backlog."""

    def __init__(
        self,
        *,
        duration: int,
        connections: int,
        threads: int,
        repeats: int,
        warmup: int = 2,
    ) -> None:
        self.duration = duration
        self.connections = connections
        self.threads = threads
        self.repeats = repeats
        self.warmup = warmup

    def _head(self, headers: dict[str, str] | None) -> list[str]:
        head: list[str] = []
        for name, value in (headers or {}).items():
            head += ["-H", f"{name}: {value}"]
        return head

    def warm(
        self, url: str, *, headers: dict[str, str] | None = None, cached: bool
    ) -> str:
        """One request (fills the page cache), then a 2 s wrk warm-up.

        Cached pages (and nginx) are warmed at full concurrency: hits are cheap, so
        the warm-up ends with no backlog and the first measured run is not the
        slowest any more. Uncached pages get a gentle warm-up with 2 connections: a
        64-connection warm-up would leave a backlog of slow (uncached) requests that
        the server keeps working on during the measured run."""
        with contextlib.suppress(Exception):
            fetch(url, headers=headers, timeout=60)
        if not self.warmup:
            return "one request"
        if cached:
            threads, connections = self.threads, self.connections
        else:
            threads, connections = 1, 2
        command = [
            WRK, f"-t{threads}", f"-c{connections}", "--timeout", "10s",
            *self._head(headers), f"-d{self.warmup}s", url,
        ]  # fmt: skip
        subprocess.run(command, capture_output=True, text=True, check=True)
        return f"one request, then -t{threads} -c{connections} -d{self.warmup}s"

    def run(self, url: str, *, headers: dict[str, str] | None = None) -> dict:
        """One measured run, no warm-up."""
        command = [
            WRK, f"-t{self.threads}", f"-c{self.connections}", "--timeout", "10s",
            *self._head(headers), f"-d{self.duration}s", "--latency", url,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        result = parse_wrk(done.stdout)
        result["command"] = " ".join(
            c if " " not in c else repr(c) for c in command[1:]
        )
        return result

    def series(
        self,
        name: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        cached: bool,
        server: Process | None,
    ) -> tuple[str, list[dict[str, object]]]:
        """Warm up, then `repeats` measured runs; returns (warm-up, runs)."""
        warmup = self.warm(url, headers=headers, cached=cached)
        runs: list[dict[str, object]] = []
        for _ in range(self.repeats):
            runs.append(self.idle_run(url, server, headers=headers, cpu_of=server))
            self._log_run(name, runs, self.repeats)
        if server is not None:  # leave the server idle for whatever comes next
            runs[-1]["settle_after_s"] = settle = wait_idle(server)
            if settle:
                log(f"  {name}: waited {settle} s for the server to go idle")
        return warmup, runs

    def interleaved(
        self,
        name: str,
        url: str,
        baseline_url: str,
        *,
        cached: bool,
        server: Process,
    ) -> tuple[str, list[dict[str, object]], list[dict[str, object]]]:
        """`repeats` runs of `url`, each between two runs of `baseline_url`
        (B A B A B A B); returns (warm-up, the runs, the baseline's runs).

        Each run is compared with the baseline just before and just after it
        (`pair_with_baseline`), seconds apart: the machine's speed changes by the
        minute, and blocks of runs a minute apart measured that change as well.
        """
        warmup = self.warm(baseline_url, cached=True)
        warmup += "; " + self.warm(url, cached=cached)
        runs: list[dict[str, object]] = []
        baseline: list[dict[str, object]] = []

        def measured(target: str, label: str, into: list, of: int, ours: bool) -> None:
            # After our backlog, if any; the server's CPU only on its own runs.
            run = self.idle_run(target, server, cpu_of=server if ours else None)
            into.append(run)
            self._log_run(label, into, of)

        nginx = f"nginx (around {name})"
        for _ in range(self.repeats):
            measured(baseline_url, nginx, baseline, self.repeats + 1, False)
            measured(url, name, runs, self.repeats, True)
        measured(baseline_url, nginx, baseline, self.repeats + 1, False)
        pair_with_baseline(runs, baseline)
        return warmup, runs, baseline

    def idle_run(
        self,
        url: str,
        server: Process | None,
        *,
        headers: dict[str, str] | None = None,
        cpu_of: Process | None = None,
    ) -> dict[str, object]:
        """One measured run, started once the server went idle; with `cpu_of`, also
        that server's user + system CPU per request served (it barely moves with
        the machine's load, which throughput does)."""
        settle = wait_idle(server) if server is not None else 0.0
        cpu_before = group_cpu_s(cpu_of) if cpu_of is not None else 0.0
        result = self.run(url, headers=headers)
        if cpu_of is not None and result.get("requests"):
            spent = group_cpu_s(cpu_of) - cpu_before
            result["cpu_us_per_request"] = round(spent / result["requests"] * 1e6, 1)
        result["settle_s"] = settle
        result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
        return result

    def _log_run(self, name: str, runs: list[dict[str, object]], of: int) -> None:
        result, settle = runs[-1], runs[-1]["settle_s"]
        log(
            f"  {name} run {len(runs)}/{of}: "
            f"{result['rps']:,.0f} req/s, p99 {result['p99_ms']} ms"
            + (
                f", {result['cpu_us_per_request']} µs CPU/request"
                if "cpu_us_per_request" in result
                else ""
            )
            + (f", errors {errors_of(result)}" if errors_of(result) else "")
            + (f" (waited {settle} s for the server to go idle)" if settle else "")
        )
