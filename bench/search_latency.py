"""Search latency: p50/p95 of typical queries over N generated articles.

    .venv/bin/python bench/search_latency.py --articles 10000
    .venv/bin/python bench/search_latency.py --articles 100000 --var-dir /tmp/bs-100k
    .venv/bin/python -m tests.pgserver run -- \
        .venv/bin/python bench/search_latency.py --articles 10000     # PostgreSQL

The corpus is bench/corpus.py's (neutral generated prose, ~800 words and 3 notes an
article, index rows written as publishing writes them), loaded into `--var-dir`
(or DATABASE_URL's database) unless it holds one already. Queries are drawn,
seeded, from the corpus's own text: one, two and three words (each from a
different article, so some find little), and two- or three-word phrases quoted
from a body. Each is timed through `discovery.search.search()` (page 1 with its
snippets, as the page shows it) and, for comparison, as the `LIKE` scan a search
without an index would be (`body LIKE %word%` for every word, live articles,
newest first, 10 rows, no count, no ranking, no stemming). Also timed:
`rebuild_index()` over the whole corpus. Prints a table; nothing is asserted
(speed targets live in benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["1 word", "2 words", "3 words", "phrase"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="How many.")
    parser.add_argument("--var-dir", type=Path, default=None, help="Corpus dir.")
    parser.add_argument("--queries", type=int, default=40, help="Queries a kind.")
    parser.add_argument("--repeats", type=int, default=3, help="Runs a query.")
    parser.add_argument("--seed", type=int, default=7, help="Query seed.")
    parser.add_argument(
        "--no-like", action="store_true", help="Skip the LIKE scan (slow at 100k)."
    )
    parser.add_argument(
        "--no-rebuild", action="store_true", help="Skip timing rebuild_index()."
    )
    parser.add_argument(
        "--like-queries",
        type=int,
        default=10,
        help="Queries a kind also run as the LIKE scan (a full scan each).",
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="Also write the figures here."
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="Time this process's CPU, not the wall clock: on a loaded machine,"
        " the cost of the query itself (SQLite only: PostgreSQL's work is"
        " another process's).",
    )
    return parser.parse_args(argv)


def corpus_dir(args: argparse.Namespace) -> Path:
    return (args.var_dir or Path(f"/tmp/broadsheet-search-{args.articles}")).resolve()


def load_corpus(args: argparse.Namespace, var_dir: Path) -> None:
    command = [sys.executable, str(ROOT / "bench" / "corpus.py")]
    command += ["--articles", str(args.articles), "--var-dir", str(var_dir)]
    print(f"Loading the corpus: {' '.join(command)}", file=sys.stderr, flush=True)
    subprocess.run(command, check=True)


def setup_django(var_dir: Path) -> None:
    os.environ["BROADSHEET_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def draw_queries(args: argparse.Namespace) -> dict[str, list[str]]:
    """Queries of each kind, from the text of seeded random articles."""
    from broadsheet.discovery.models import SearchDocument
    from broadsheet.discovery.search.query import words_of

    rng = random.Random(args.seed)
    ids = list(
        SearchDocument.objects.order_by("article_id").values_list(
            "article_id", flat=True
        )
    )
    if not ids:
        sys.exit("The corpus has no search index rows: run `broadsheet reindex`.")

    def words_of_some_article() -> list[str]:
        return words_of(SearchDocument.objects.get(article_id=rng.choice(ids)).body)

    def some_words(count: int) -> str:
        return " ".join(
            rng.choice([w for w in words_of_some_article() if len(w) > 3] or ["type"])
            for _ in range(count)
        )

    queries: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for _ in range(args.queries):
        for count, kind in [(1, "1 word"), (2, "2 words"), (3, "3 words")]:
            queries[kind].append(some_words(count))
        # Consecutive words of a body, starting at a word of four letters or more.
        words = words_of_some_article()
        length = rng.choice([2, 3])
        starts = [n for n, w in enumerate(words[:-length]) if len(w) > 3] or [0]
        start = rng.choice(starts)
        queries["phrase"].append('"' + " ".join(words[start : start + length]) + '"')
    return queries


def like_scan(text: str) -> list[int]:
    """The search a site without an index does: every word as a substring."""
    from django.db.models import Q

    from broadsheet.content.models import Article
    from broadsheet.discovery.search.query import parse_query

    condition = Q()
    for phrase in parse_query(text).phrases:
        condition &= Q(body__icontains=" ".join(phrase))
    live = Article.objects.live().filter(condition).order_by("-published_at")
    return list(live.values_list("pk", flat=True)[:10])


CLOCK = time.perf_counter  # time.process_time with --cpu


def timings(run, queries: list[str], repeats: int) -> list[float]:
    """Milliseconds per call of run(query), every query `repeats` times."""
    found = []
    for _ in range(repeats):
        for query in queries:
            started = CLOCK()
            run(query)
            found.append((CLOCK() - started) * 1000)
    return found


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[
        round(fraction * 100) - 1
    ]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    var_dir = corpus_dir(args)
    on_sqlite = not os.environ.get("DATABASE_URL")
    if on_sqlite and not (var_dir / "broadsheet.sqlite3").exists():
        load_corpus(args, var_dir)
    setup_django(var_dir)
    from django.core.management import call_command
    from django.db import connection

    from broadsheet.content.models import Article
    from broadsheet.discovery.search import rebuild_index, search

    if not on_sqlite:
        call_command("migrate", interactive=False, verbosity=0)
        if not Article.objects.exists():
            load_corpus(args, var_dir)

    articles = Article.objects.live().count()
    print(f"{articles:,} live articles on {connection.vendor}", flush=True)
    figures: dict[str, object] = {"database": connection.vendor, "live": articles}
    figures["clock"] = "cpu" if args.cpu else "wall"
    if not args.no_rebuild:
        started = time.perf_counter()
        counts = rebuild_index()
        figures["rebuild_s"] = round(time.perf_counter() - started, 1)
        print(
            f"rebuild_index(): {counts['articles_indexed']:,} articles in"
            f" {figures['rebuild_s']} s",
            flush=True,
        )
    from broadsheet.discovery.search import backends

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # a bulk-loaded database has no statistics yet
    backends.for_connection(connection).optimize()  # as after `broadsheet reindex`
    queries = draw_queries(args)
    for query in queries["1 word"][:5]:
        search(query)  # warm: templates of SQL, the page cache of the database
    server = ServerClock(connection)
    rows, extra = [], {}
    for kind in KINDS:
        server.start()
        indexed = timings(lambda q: search(q), queries[kind], args.repeats)
        extra[kind] = server.per_call_ms(len(indexed))
        found = [search(q) for q in queries[kind]]
        hits = statistics.median(results.total for results in found)
        extra[kind]["common_share"] = round(
            sum(results.more for results in found) / len(found), 2
        )
        row = [kind, percentile(indexed, 0.5), percentile(indexed, 0.95), hits]
        if not args.no_like:
            like = timings(like_scan, queries[kind][: args.like_queries], 1)
            row += [percentile(like, 0.5), percentile(like, 0.95)]
        rows.append(row)
    print(
        "hits: a common query's (more than RANK_LIMIT) count as RANK_LIMIT;"
        " common: the share of such queries"
        + (
            "; CPU: mean per search, this process + the database server's"
            if server.pid
            else ""
        ),
    )
    header = f"{'queries':<10} {'p50 ms':>8} {'p95 ms':>8} {'hits (median)':>14}"
    header += f" {'common':>7}" + (f" {'CPU ms':>7}" if server.pid else "")
    if not args.no_like:
        header += f" {'LIKE p50':>9} {'LIKE p95':>9}"
    print(header)
    figures["queries"] = {row[0]: _row_figures(row) | extra[row[0]] for row in rows}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    for row in rows:
        line = f"{row[0]:<10} {row[1]:>8.2f} {row[2]:>8.2f} {row[3]:>14,.0f}"
        line += f" {extra[row[0]]['common_share']:>7.0%}"
        if server.pid:
            line += f" {extra[row[0]]['cpu_ms']:>7.1f}"
        if not args.no_like:
            line += f" {row[4]:>9.1f} {row[5]:>9.1f}"
        print(line)


class ServerClock:
    """On PostgreSQL, the CPU time of this process and of its server process
    (/proc's utime and stime): a search's whole cost, which the wall clock of
    a loaded machine blurs. Ticks are 10 ms, so only a mean over many searches
    means anything."""

    def __init__(self, connection) -> None:
        self.pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (self.pid,) = cursor.fetchone()
        self.started = (0.0, 0.0)

    def _server_s(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def start(self) -> None:
        if self.pid:
            self.started = (time.process_time(), self._server_s())

    def per_call_ms(self, calls: int) -> dict[str, float]:
        if not self.pid:
            return {}
        client = time.process_time() - self.started[0]
        server = self._server_s() - self.started[1]
        return {
            "cpu_ms": round((client + server) * 1000 / calls, 2),
            "server_cpu_ms": round(server * 1000 / calls, 2),
        }


def _row_figures(row: list) -> dict[str, float]:
    names = ["p50_ms", "p95_ms", "hits_median", "like_p50_ms", "like_p95_ms"]
    return {name: round(value, 2) for name, value in zip(names, row[1:], strict=False)}


if __name__ == "__main__":
    main()
