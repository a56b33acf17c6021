"""Time `broadsheet import wordpress` and measure its peak memory by export size,
next to `pelican-import` on the same file (issue 20).

    .venv/bin/python bench/wordpress_import.py                 # 1,000 and 10,000 posts
    .venv/bin/python bench/wordpress_import.py --posts 2000    # other sizes
    .venv/bin/python bench/wordpress_import.py --keep          # keep the files
    .venv/bin/python bench/wordpress_import.py --dry-run       # no commit
    .venv/bin/python bench/wordpress_import.py --no-pelican    # Broadsheet only
    .venv/bin/python bench/wordpress_import.py --profile 1000  # cProfile, in-process

Each size is generated as a WXR 1.2 file (neutral prose about printing and
baking, about 500 words a post, three core footnotes and one [ref] note each, a
figure, a table in every tenth post, tags, categories, a view count, and the
permalink and local and UTC dates a real export carries), then imported by a
fresh process into a fresh SQLite database, so that each peak resident size
(getrusage) is that import's alone. "growth" is the peak minus the process's
size just before the import began: flat memory means the same growth for 1,000
and 10,000 posts. Time is wall-clock, as for the real command (CPU time is kept
too: on a shared machine it moves less): "loading" until the last record is in,
"commit" the commit and the work publishing's announcements do after it (the
page cache invalidated, once). `--dry-run` imports as `--dry-run` does: all the
loading, then a rollback, so "commit" is only the rollback.

Pelican's `pelican-import --wpfile FILE -o OUT -m markdown` (Markdown, as
Broadsheet writes) runs on the same file when it is installed: not in the
project's dependencies, but in a throwaway virtualenv (`python -m venv
/tmp/pelican-venv && /tmp/pelican-venv/bin/pip install pelican beautifulsoup4
lxml`; --pelican-import names another). It converts each post's
HTML with pandoc, found on PATH: the pandoc of pypandoc-binary, which the project
already ships, is put there. Its figure is the whole process (wall time and
os.wait4's peak RSS), start-up included; it writes Markdown files, no database.
A run past --pelican-timeout seconds is stopped and reported as unfinished.

`run()` returns the figures as a dict (a stage of `make bench`); the command
line prints a table and writes them to bench/results/ (latest-wordpress.json
and a timestamped copy).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PELICAN_VENV_IMPORT = Path("/tmp/pelican-venv/bin/pelican-import")
TARGET_SECONDS_10K = 60.0  # issue 20: 10,000 posts in under a minute
SENTENCES = [
    "The compositor sets each line in a composing stick, letter by letter.",
    "A forme is locked in its chase with quoins before it goes to press.",
    "Dough that has proved overnight bakes into a more open crumb.",
    "Ink is rolled thin, for a heavy hand fills the counters of small type.",
    "The oven should be hot before the loaves go in, and steamed at first.",
    "Hot metal is poured into a matrix struck with a steel punch.",
    "Rye flour holds water well and makes a dense, keeping loaf.",
    "Proofs are pulled by hand and read twice before the run begins.",
]
CATEGORIES = ["printing", "baking", "type", "paper"]
TAGS = ["ink", "dough", "presses", "ovens", "letters", "flour", "proofs", "salt"]


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def post_html(rng: random.Random, n: int) -> tuple[str, str]:
    """A post's block markup and its footnotes meta."""
    notes = [{"id": f"fn-{n}-{i}", "content": rng.choice(SENTENCES)} for i in range(3)]
    parts = []
    for paragraph in range(12):
        text = " ".join(rng.choice(SENTENCES) for _ in range(4))
        if paragraph < 3:
            note = notes[paragraph]["id"]
            text += (
                f'<sup data-fn="{note}" class="fn"><a href="#{note}" id="{note}-link">'
                f"{paragraph + 1}</a></sup>"
            )
        if paragraph == 5:
            text += "[ref]" + rng.choice(SENTENCES) + "[/ref]"
        parts.append(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->")
        if paragraph == 6:
            parts.append(
                '<!-- wp:image -->\n<figure class="wp-block-image"><img src="https://'
                f'old.example.org/uploads/{n}.jpg" alt="Press {n}"/><figcaption>A press'
                "</figcaption></figure>\n<!-- /wp:image -->"
            )
    if n % 10 == 0:
        rows = "".join(
            f"<tr><td>{size} pt</td><td>{name}</td></tr>"
            for size, name in [(6, "Nonpareil"), (8, "Brevier"), (12, "Pica")]
        )
        parts.append(f"<!-- wp:table -->\n<figure><table>{rows}</table></figure>")
    parts.append("<!-- wp:footnotes /-->")
    return "\n\n".join(parts), json.dumps(notes)


def write_export(path: Path, posts: int) -> None:
    """Write a WXR file of `posts` posts, item by item."""
    rng = random.Random(posts)
    ns = "http://wordpress.org/export/1.2/"
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f'<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"'
            f' xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/'
            'modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            f' xmlns:wp="{ns}">\n<channel>\n<title>Bench</title>\n'
            "<link>https://old.example.org</link>\n<wp:wxr_version>1.2</wp:wxr_version>"
            "\n<wp:base_site_url>https://old.example.org</wp:base_site_url>\n"
        )
        for login in ("ada", "ben"):
            out.write(
                f"<wp:author><wp:author_login>{login}</wp:author_login>"
                f"<wp:author_display_name>{login.title()}</wp:author_display_name>"
                "</wp:author>\n"
            )
        for n in range(1, posts + 1):
            content, notes = post_html(rng, n)
            day = 1 + n % 28
            terms = f'<category domain="category" nicename="{rng.choice(CATEGORIES)}">'
            terms += "Section</category>"
            for tag in rng.sample(TAGS, 2):
                terms += (
                    f'<category domain="post_tag" nicename="{tag}">{tag}</category>'
                )
            out.write(
                f"<item><title>{cdata(f'Notes from the press, {n}')}</title>"
                f"<dc:creator>{rng.choice(['ada', 'ben'])}</dc:creator>"
                f"<content:encoded>{cdata(content)}</content:encoded>"
                f"<excerpt:encoded></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
                f"<link>https://old.example.org/2020/03/notes-{n}/</link>"
                f"<pubDate>{day:02d} Mar 2020 09:00:00 +0000</pubDate>"
                f"<wp:post_date>2020-03-{day:02d} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2020-03-{day:02d} 09:00:00</wp:post_date_gmt>"
                f"<wp:post_name>notes-{n}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f"{terms}<wp:postmeta><wp:meta_key>footnotes</wp:meta_key>"
                f"<wp:meta_value>{cdata(notes)}</wp:meta_value></wp:postmeta>"
                "<wp:postmeta><wp:meta_key>views</wp:meta_key>"
                f"<wp:meta_value>{rng.randrange(5000)}</wp:meta_value></wp:postmeta>"
                "</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(export_path: Path, *, dry_run: bool) -> None:
    """Import one file into the database the environment names; print figures."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    django.setup()
    call_command("migrate", verbosity=0)
    from broadsheet.migration.wordpress.load import import_wordpress

    before = peak_rss_mb()
    loaded = [0.0]

    def progress(position: int) -> None:
        loaded[0] = time.perf_counter()

    started = time.perf_counter()
    cpu_started = time.process_time()
    report = import_wordpress(export_path, progress=progress, dry_run=dry_run)
    finished = time.perf_counter()
    print(
        json.dumps(
            {
                "posts": report.counts["posts created"],
                "seconds": finished - started,
                "cpu_seconds": time.process_time() - cpu_started,
                "load_seconds": loaded[0] - started,
                "rss_before_mb": before,
                "rss_peak_mb": peak_rss_mb(),
            }
        )
    )


def measure_broadsheet(folder: Path, export_path: Path, *, dry_run: bool) -> dict:
    """Import the file in a fresh process into a fresh SQLite database."""
    (folder / "var").mkdir()
    env = {
        **os.environ,
        "BROADSHEET_VAR_DIR": str(folder / "var"),
        "DATABASE_URL": f"sqlite:///{folder / 'var' / 'bench.sqlite3'}",
        "REDIS_URL": "",
    }
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(export_path)]
        + (["--dry-run"] if dry_run else []),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    seconds = figures["seconds"]
    return {
        "posts": figures["posts"],
        "seconds": round(seconds, 2),
        "cpu_seconds": round(figures["cpu_seconds"], 2),
        "load_seconds": round(figures["load_seconds"], 2),
        "commit_seconds": round(seconds - figures["load_seconds"], 2),
        "posts_per_s": round(figures["posts"] / seconds, 1),
        "peak_rss_mb": round(figures["rss_peak_mb"], 1),
        "growth_mb": round(figures["rss_peak_mb"] - figures["rss_before_mb"], 1),
    }


def find_pelican_import(given: str | None) -> Path | None:
    """The pelican-import to compare with: the one named, the throwaway venv's, or
    one on PATH; None when none is installed."""
    if given:
        return Path(given)
    if PELICAN_VENV_IMPORT.exists():
        return PELICAN_VENV_IMPORT
    found = shutil.which("pelican-import")
    return Path(found) if found else None


def pandoc_dir() -> str | None:
    """The folder of pypandoc-binary's pandoc (pelican-import runs `pandoc`)."""
    try:
        import pypandoc

        return str(Path(pypandoc.get_pandoc_path()).parent)
    except (ImportError, OSError):
        return shutil.which("pandoc") and str(Path(shutil.which("pandoc")).parent)


def measure_pelican(
    pelican_import: Path, folder: Path, export_path: Path, *, timeout: float
) -> dict:
    """`pelican-import --wpfile FILE -o OUT -m markdown`, the whole process: wall
    time, peak RSS (of it or its largest pandoc child)."""
    out = folder / "pelican"
    out.mkdir()
    pandoc = pandoc_dir()
    env = {**os.environ}
    if pandoc:
        env["PATH"] = pandoc + os.pathsep + env.get("PATH", "")
    command = [
        str(pelican_import),
        "--wpfile",
        str(export_path),
        "-o",
        str(out),
        "-m",
        "markdown",
    ]
    with open(folder / "pelican.log", "wb") as log_file:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        finished = _wait_for(proc, timeout)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    files = sum(1 for _ in out.rglob("*.md"))
    figures = {
        "command": " ".join(command).replace(str(export_path), "FILE"),
        "pandoc": pandoc,
        "finished": finished,
        "returncode": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "files_written": files,
        "posts_per_s": round(files / seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }
    if not finished:
        figures["note"] = f"stopped after {timeout:g} s, {files} posts written"
    elif figures["returncode"]:
        tail = (folder / "pelican.log").read_text(errors="replace").splitlines()
        figures["error"] = "\n".join(tail[-5:])
    return figures


def _wait_for(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait up to `timeout` seconds without reaping (os.wait4 reads the usage
    after); stop the process past it. Returns whether it finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
            return True
        time.sleep(0.2)
    proc.kill()
    return False


def run(
    sizes: list[int] | tuple[int, ...] = (1000, 10000),
    *,
    dry_run: bool = False,
    keep: bool = False,
    pelican: bool = True,
    pelican_import: str | None = None,
    pelican_timeout: float = 1200.0,
    log: Callable[[str], None] = print,
) -> dict:
    """Generate each size, import it with Broadsheet (and pelican-import if it is
    installed); return the figures, with the issue's verdicts."""
    work = Path(tempfile.mkdtemp(prefix="broadsheet-wp-bench-"))
    tool = find_pelican_import(pelican_import) if pelican else None
    results: dict = {
        "scenario": "WordPress import (issue 20)",
        "dry_run": dry_run,
        "loadavg_before": os.getloadavg(),
        "cpus": os.cpu_count(),
        "pelican_import": str(tool) if tool else None,
        "sizes": [],
    }
    if pelican and tool is None:
        log("pelican-import is not installed: Broadsheet's figures only")
    try:
        for size in sizes:
            folder = work / str(size)
            folder.mkdir()
            export_path = folder / "export.xml"
            write_export(export_path, size)
            row: dict = {
                "posts": size,
                "file_mb": round(export_path.stat().st_size / 1e6, 1),
            }
            log(f"{size:,} posts: broadsheet import wordpress")
            row["broadsheet"] = measure_broadsheet(folder, export_path, dry_run=dry_run)
            if tool is not None:
                log(f"{size:,} posts: pelican-import")
                row["pelican"] = measure_pelican(
                    tool, folder, export_path, timeout=pelican_timeout
                )
            row["loadavg_after"] = os.getloadavg()
            results["sizes"].append(row)
    finally:
        if keep:
            log(f"Files kept in {work}")
        else:
            shutil.rmtree(work)
    results["verdicts"] = verdicts(results["sizes"])
    return results


def verdicts(rows: list[dict]) -> dict:
    """The issue's targets: 10,000 posts under a minute; memory flat as the file
    grows (growth at the largest size within 25% + 10 MB of the smallest's)."""
    found: dict = {}
    by_size = {row["posts"]: row["broadsheet"] for row in rows}
    if 10000 in by_size:
        seconds = by_size[10000]["seconds"]
        found["10000_under_60_s"] = {"seconds": seconds, "met": seconds < 60}
    if len(by_size) > 1:
        small, large = by_size[min(by_size)], by_size[max(by_size)]
        flat = large["growth_mb"] <= small["growth_mb"] * 1.25 + 10
        found["memory_flat"] = {
            "growth_mb": {
                min(by_size): small["growth_mb"],
                max(by_size): large["growth_mb"],
            },
            "met": flat,
        }
    return found


def print_table(results: dict) -> None:
    print(
        f"\n{'posts':>7} {'file MB':>8} {'seconds':>8} {'loading':>8} {'commit':>7}"
        f" {'posts/s':>8} {'peak MB':>8} {'growth':>7} | {'pelican s':>9}"
        f" {'posts/s':>8} {'peak MB':>8}"
    )
    for row in results["sizes"]:
        ours, theirs = row["broadsheet"], row.get("pelican")
        line = (
            f"{row['posts']:>7} {row['file_mb']:>8.1f} {ours['seconds']:>8.1f}"
            f" {ours['load_seconds']:>8.1f} {ours['commit_seconds']:>7.1f}"
            f" {ours['posts_per_s']:>8.0f} {ours['peak_rss_mb']:>8.0f}"
            f" {ours['growth_mb']:>7.0f} |"
        )
        if theirs:
            mark = "" if theirs["finished"] else "+"
            line += (
                f" {theirs['seconds']:>8.1f}{mark or ' '} {theirs['posts_per_s']:>8.0f}"
                f" {theirs['peak_rss_mb']:>8.0f}"
            )
        else:
            line += f" {'-':>9} {'-':>8} {'-':>8}"
        print(line)
    for name, verdict in results["verdicts"].items():
        print(f"{name}: {'met' if verdict['met'] else 'NOT met'} {verdict}")


def save(results: dict) -> Path:
    """Write the figures to bench/results/ (a timestamped file and latest-)."""
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-wordpress.json"
    text = json.dumps(results, indent=2)
    path.write_text(text)
    (RESULTS / "latest-wordpress.json").write_text(text)
    return path


def profile(size: int, *, dry_run: bool) -> None:
    """Import `size` posts in this process under cProfile; print the costliest."""
    import cProfile
    import pstats

    work = Path(tempfile.mkdtemp(prefix="broadsheet-wp-profile-"))
    export_path = work / "export.xml"
    write_export(export_path, size)
    (work / "var").mkdir()
    os.environ.update(
        BROADSHEET_VAR_DIR=str(work / "var"),
        DATABASE_URL=f"sqlite:///{work / 'var' / 'bench.sqlite3'}",
        REDIS_URL="",
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from broadsheet.migration.wordpress.load import import_wordpress

    profiler = cProfile.Profile()
    profiler.runcall(import_wordpress, export_path, dry_run=dry_run)
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(40)
    stats.dump_stats(
        work.parent / "broadsheet-wp-profile.prof"
    )  # for pstats or snakeviz
    shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    parser.add_argument(
        "--dry-run", action="store_true", help="Roll back instead of committing."
    )
    parser.add_argument(
        "--no-pelican", action="store_true", help="Leave out pelican-import."
    )
    parser.add_argument("--pelican-import", help="The pelican-import to run.")
    parser.add_argument(
        "--pelican-timeout",
        type=float,
        default=1200.0,
        help="Stop pelican-import after this many seconds (default 1200).",
    )
    parser.add_argument(
        "--profile", type=int, metavar="POSTS", help="cProfile one import in-process."
    )
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.child, dry_run=args.dry_run)
    elif args.profile:
        sys.path.insert(0, str(ROOT))
        profile(args.profile, dry_run=args.dry_run)
    else:
        results = run(
            args.posts,
            keep=args.keep,
            dry_run=args.dry_run,
            pelican=not args.no_pelican,
            pelican_import=args.pelican_import,
            pelican_timeout=args.pelican_timeout,
            log=lambda line: print(line, file=sys.stderr, flush=True),
        )
        print_table(results)
        print(f"Figures: {save(results)}")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
