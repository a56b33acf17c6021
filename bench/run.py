"""Broadsheet benchmarks: wrk against the app and against nginx serving the same bytes.

    .venv/bin/python bench/run.py                 # default: 10,000-article corpus
    .venv/bin/python bench/run.py --articles 100000
    .venv/bin/python bench/run.py --quick         # 1,000 articles, 3 s runs, 1 repeat
    .venv/bin/python bench/run.py --servers --gunicorn-path /tmp/bench-gunicorn-lib

Everything runs on loopback in temporary directories (nothing in var/ is touched):
the demo site in one database, the demo plus a generated corpus in another, nginx
with a generated configuration serving the flagship article's exact bytes from a
file. Every wrk scenario (nginx too) is run --repeats times and reported by the
medians of its runs; each run of the article, cached and not, lies between two nginx
runs and is compared with them. Results go to bench/results/latest.json (and a
timestamped copy); a table is printed at the end. See bench/README.md; the harness
itself is the package bench/harness/, whose stages.run() reads as the run.
"""

import sys

from harness.cli import main

if __name__ == "__main__":
    sys.exit(main())
