"""The writing editor's server times: the flagship's live preview, opening the editor.

Measured in-process through Django's handler (the test Client runs the whole
middleware stack: sessions, CSRF, authentication, the view, JSON), in a process of
its own set up on the demo site's var dir, so the run's own process stays free of
Django. Run on its own:

    .venv/bin/python -m harness.editor --var-dir /tmp/demo --samples 60   # from bench/
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .paths import FLAGSHIP_SLUG
from .sites import app_env

SAMPLES = 60
WARMUP = 5
PREVIEW = "/newsroom/api/preview/"
SANDBOX = "/newsroom/api/sandbox/"
PREVIEW_TARGET_P95_MS = 50.0
BENCH_USER = "bench-editor"


def measure_editor(var_dir: Path, logs: Path, samples: int = SAMPLES) -> dict:
    """Time the editor's requests on the site in `var_dir`, in a child process."""
    out = subprocess.run(
        [sys.executable, "-m", "harness.editor", "--samples", str(samples)],
        env=app_env(var_dir, cache=True),
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
    )
    (logs / "editor.log").write_text(out.stdout + out.stderr)
    if out.returncode:
        raise RuntimeError(f"editor timings failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentiles(times_ms: list[float]) -> dict[str, float]:
    """p50 and p95 (inclusive method: a p95 of 20 samples is within them)."""
    cuts = statistics.quantiles(times_ms, n=20, method="inclusive")
    return {
        "p50_ms": round(statistics.median(times_ms), 2),
        "p95_ms": round(cuts[18], 2),
        "min_ms": round(min(times_ms), 2),
        "max_ms": round(max(times_ms), 2),
    }


def time_requests(client, send, samples: int, warmup: int = WARMUP) -> dict:
    """Call `send(client)` warmup + samples times; the samples' wall and CPU times.

    Raises AssertionError when any answer is not a 200.
    """
    wall, cpu = [], []
    for i in range(warmup + samples):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = send(client)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu_started) * 1000
        assert response.status_code == 200, (response.status_code, response.content)
        if i >= warmup:
            wall.append(elapsed)
            cpu.append(cpu_ms)
    return {
        **percentiles(wall),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "samples": len(wall),
        "times_ms": [round(t, 3) for t in wall],
    }


def editor_timings(client, body: str, samples: int, open_path: str = SANDBOX) -> dict:
    """The preview of `body` (the editor's round trip) and the GET of `open_path`,
    the page the editor opens on."""
    preview = time_requests(client, lambda c: c.post(PREVIEW, {"body": body}), samples)
    answer = client.post(PREVIEW, {"body": body}).json()
    return {
        "preview": {
            **preview,
            "words": answer["words"],
            "notes": answer["notes"],
            "problems": len(answer["problems"]),
            "body_bytes": len(body.encode()),
            "json_bytes": len(json.dumps(answer)),
        },
        "open": {
            **time_requests(client, lambda c: c.get(open_path), samples),
            "path": open_path,
        },
    }


def table_rows(editor: dict | None, table_row) -> list[dict[str, object]]:
    """The editor's rows of the table of targets (table.table_row makes each)."""
    if not editor or "error" in editor:
        note = editor["error"] if editor else "not run"
        return [
            table_row(
                "live preview round trip (flagship)",
                None,
                None,
                unit="ms",
                target=f"p95 < {PREVIEW_TARGET_P95_MS:g} ms",
                passed=None,
                note=note,
            )
        ]
    preview, opened = editor["preview"], editor["open"]
    return [
        table_row(
            "live preview round trip (flagship)",
            preview["p95_ms"],
            None,
            unit="ms",
            target=f"p95 < {PREVIEW_TARGET_P95_MS:g} ms",
            passed=preview["p95_ms"] < PREVIEW_TARGET_P95_MS,
            p99=None,
            note=f"p95 of {preview['samples']} POSTs of the flagship's "
            f"{preview['words']:,} words ({preview['body_bytes']:,} bytes, "
            f"{preview['notes']} notes) to /newsroom/api/preview/ in-process; "
            f"p50 {preview['p50_ms']} ms, CPU median {preview['cpu_median_ms']} ms",
        ),
        table_row(
            "time to open the editor",
            opened["p95_ms"],
            None,
            unit="ms",
            target="(informational)",
            passed=None,
            note=f"p95 of {opened['samples']} GETs of the editor's page "
            f"({opened.get('path', SANDBOX)}), server time in-process; "
            f"p50 {opened['p50_ms']} ms",
        ),
    ]


def _probe(samples: int) -> dict:
    """In the child: set Django up on BROADSHEET_VAR_DIR, log in a writer, time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from broadsheet.content.models import Article
    from broadsheet.editorial.roles import Role, assign

    # An editor may open any article, the flagship included.
    user, _created = get_user_model().objects.get_or_create(username=BENCH_USER)
    assign(user, Role.EDITOR)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    flagship = Article.objects.get(slug=FLAGSHIP_SLUG)
    try:  # the flagship's own edit page where the newsroom has one
        open_path = reverse("newsroom:article-edit", kwargs={"pk": flagship.pk})
    except NoReverseMatch:
        open_path = SANDBOX
    return editor_timings(client, flagship.body, samples, open_path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument(
        "--var-dir", type=Path, default=None, help="Site (default: the environment's)"
    )
    args = parser.parse_args(argv)
    if args.var_dir:
        os.environ["BROADSHEET_VAR_DIR"] = str(args.var_dir)
    print(json.dumps(_probe(args.samples)))


if __name__ == "__main__":
    main()
