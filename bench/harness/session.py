"""One run's state (directories, wrk, servers, results) and how it measures."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import tempfile
from pathlib import Path

from .console import log
from .paths import FLAGSHIP, HUGO, NGINX
from .processes import Process
from .render import cold_render
from .report import report
from .servers import start_broadsheet
from .verdicts import paired_figures, summarize
from .wrk import Wrk


def describe_machine(args: argparse.Namespace) -> dict[str, object]:
    """The results' `machine`: cores, versions, wrk's flags, the load average."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "nginx": subprocess.run(
            [NGINX, "-v"], capture_output=True, text=True
        ).stderr.strip()
        if Path(NGINX).exists()
        else None,
        "hugo": subprocess.run(
            [HUGO, "version"], capture_output=True, text=True
        ).stdout.strip()
        if Path(HUGO).exists()
        else None,
        "wrk": f"-t2 -c{args.connections} -d{args.duration}s, same machine; "
        f"median of {args.repeats} run(s) per scenario",
        "loadavg_before": os.getloadavg(),
    }


def run_settings(args: argparse.Namespace) -> dict[str, object]:
    """The results' `settings`: the options the figures depend on."""
    return {
        "articles": args.articles,
        "export_articles": None if args.no_export else args.export_articles,
        "workers": args.workers,
        "duration_s": args.duration,
        "connections": args.connections,
        "repeats": args.repeats,
        "quick": args.quick,
    }


class Bench:
    """One run: its temporary directory, its wrk, the servers it started and the
    results so far (`results`, written as the JSON; `runs` is its scenarios)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
        # nginx workers (user nobody when started as root) read root/
        self.tmp.chmod(0o755)
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.wrk = Wrk(
            duration=args.duration,
            connections=args.connections,
            threads=2,
            repeats=args.repeats,
        )
        self.results: dict[str, object] = {
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": describe_machine(args),
            "settings": run_settings(args),
            "runs": {},
            "tmp": str(self.tmp),
        }
        self.runs: dict[str, dict[str, object]] = self.results["runs"]  # type: ignore[assignment]
        self.procs: list[Process] = []  # running servers, stopped at the end
        self.nginx: Process | None = None
        self.nginx_base = ""
        self.nginx_runs: list[dict[str, object]] = []
        self.render_samples: list[dict[str, object]] = []

    @property
    def demo_dir(self) -> Path:
        return self.tmp / "demo"

    def start(self, var_dir: Path, *, cache: bool) -> tuple[Process, str]:
        """Start `broadsheet serve` on `var_dir`; returns (process, base URL)."""
        server, base = start_broadsheet(
            var_dir, cache=cache, workers=self.args.workers, logs=self.logs
        )
        self.procs.append(server)
        return server, base

    def stop(self, proc: Process) -> None:
        """Stop one of the run's servers."""
        proc.stop()
        self.procs.remove(proc)

    def stop_all(self) -> None:
        """Stop every server still running."""
        for proc in self.procs:
            proc.stop()

    def sample_render(self, when: str) -> None:
        """One more sample of the cold render (see render.full_speed_render)."""
        log(f"Cold render of the flagship article ({when})")
        self.render_samples.append({"when": when, **cold_render()})
        log(f"cold render: {self.render_samples[-1]}")

    def measure(
        self,
        name: str,
        url: str,
        server: Process,
        *,
        cached: bool,
        headers: dict[str, str] | None = None,
    ) -> dict[str, object]:
        """A scenario: warm-up, then --repeats runs; its figures go to `runs`."""
        loadavg = [round(x, 2) for x in os.getloadavg()]
        warmup, series = self.wrk.series(
            name, url, headers=headers, cached=cached, server=server
        )
        result = summarize(series, warmup=warmup, loadavg_before=loadavg)
        self.runs[name] = result
        report(name, result)
        return result

    def measure_paired(
        self, name: str, url: str, server: Process, *, cached: bool
    ) -> dict[str, object]:
        """Our runs of `url` interleaved with nginx's (see Wrk.interleaved)."""
        loadavg = [round(x, 2) for x in os.getloadavg()]
        warmup, series, baseline = self.wrk.interleaved(
            name, url, self.nginx_base + FLAGSHIP, cached=cached, server=server
        )
        self._record_nginx(baseline, f"around {name}", warmup)
        result = summarize(
            series,
            warmup=warmup,
            loadavg_before=loadavg,
            paired=paired_figures(series),
        )
        self.runs[name] = result
        report(name, result)
        return result

    def measure_nginx(self, block: str) -> None:
        """One block of nginx runs."""
        warmup, series = self.wrk.series(
            f"nginx ({block})",
            self.nginx_base + FLAGSHIP,
            cached=True,
            server=self.nginx,
        )
        self._record_nginx(series, block, f"{warmup}, before each block")

    def _record_nginx(
        self, series: list[dict[str, object]], block: str, warmup: str
    ) -> None:
        """Add runs to the nginx baseline row: the median of all of nginx's runs."""
        for result in series:
            result["block"] = block
        self.nginx_runs.extend(series)
        self.runs["nginx: flagship file"] = summarize(
            self.nginx_runs,
            warmup=warmup,
            blocks=list(dict.fromkeys(str(r["block"]) for r in self.nginx_runs)),
        )
        report(f"nginx: flagship file ({block})", summarize(series))
