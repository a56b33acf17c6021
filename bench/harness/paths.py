"""Paths of the repository, its tools and the results, and the URLs the run measures."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
FLAGSHIP_SLUG = "the-long-life-of-movable-type"
FLAGSHIP = f"/articles/{FLAGSHIP_SLUG}/"
TAG = "/tags/archives/"  # a generic tag: about a third of the corpus carries it
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
HUGO = shutil.which("hugo") or "/usr/bin/hugo"
