"""The sites measured: a var dir's environment, the demo site and generated corpora."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from .console import log
from .paths import BIN, ROOT


def app_env(var_dir: Path, *, cache: bool) -> dict[str, str]:
    """The environment of a Broadsheet process on `var_dir`, page cache on or off."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "BROADSHEET_ENV", "DEBUG"):
        env.pop(name, None)
    env.update(
        BROADSHEET_VAR_DIR=str(var_dir),
        BROADSHEET_PAGE_CACHE="1" if cache else "0",
        DEBUG="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def load_corpus(
    var_dir: Path, articles: int, logs: Path, *, with_demo: bool = True
) -> dict[str, object]:
    """Load the demo (unless not `with_demo`) and `articles` generated articles
    (bench/corpus.py) into `var_dir`; returns the seconds it took and corpus.py's
    summary line."""
    command = [
        sys.executable, ROOT / "bench" / "corpus.py",
        "--articles", articles, "--var-dir", var_dir, "--force",
    ] + (["--with-demo"] if with_demo else [])  # fmt: skip
    started = time.perf_counter()
    out = subprocess.run(
        [str(c) for c in command],
        env=app_env(var_dir, cache=True),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    (logs / "corpus.log").write_text(out.stdout + out.stderr)
    if out.returncode:
        raise RuntimeError(f"corpus load failed:\n{out.stdout}\n{out.stderr}")
    summary = out.stdout.strip().splitlines()[-1]
    log(summary)
    return {"seconds": round(time.perf_counter() - started, 1), "summary": summary}


def load_demo(var_dir: Path, logs: Path) -> None:
    """`broadsheet demo` into `var_dir`."""
    out = subprocess.run(
        [str(BIN / "broadsheet"), "demo"],
        env=app_env(var_dir, cache=True),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    (logs / "demo.log").write_text(out.stdout + out.stderr)
    if out.returncode:
        raise RuntimeError(f"broadsheet demo failed:\n{out.stdout}\n{out.stderr}")


def corpus_database(
    args: argparse.Namespace, articles: int, tmp: Path, logs: Path, results: dict
) -> Path:
    """A corpus database of `articles` articles. --corpus-dir belongs to the big
    database (--articles): reused when it holds one, else loaded into it."""
    corpus_dir = args.corpus_dir if articles == args.articles else None
    if corpus_dir and (corpus_dir / "broadsheet.sqlite3").exists():
        log(f"Reusing the corpus database in {corpus_dir}")
        results["corpus"] = {"reused": str(corpus_dir)}
        return corpus_dir
    var_dir = corpus_dir or tmp / f"corpus-{articles}"
    log(f"Loading {articles:,} generated articles into {var_dir}")
    results["corpus"] = load_corpus(var_dir, articles, logs)
    return var_dir
