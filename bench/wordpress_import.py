"""Time `broadsheet import wordpress` and measure its peak memory by export size.

    .venv/bin/python bench/wordpress_import.py                 # 1,000 and 10,000 posts
    .venv/bin/python bench/wordpress_import.py --posts 2000    # other sizes
    .venv/bin/python bench/wordpress_import.py --keep          # keep the files
    .venv/bin/python bench/wordpress_import.py --dry-run       # no commit

Each size is generated as a WXR 1.2 file (neutral prose about printing and
baking, about 500 words a post, three core footnotes and one [ref] note each, a
figure, a table in every tenth post, tags, categories and a view count), then
imported by a fresh process into a fresh SQLite database, so that each peak
resident size (getrusage) is that import's alone. "growth" is the peak minus the
process's size just before the import began: flat memory means the same growth
for 1,000 and 10,000 posts. Time is wall-clock, as for the real command:
"loading" until the last record is in, "commit" the commit and the work
publishing's announcements do after it (page cache invalidated and fragments
rendered, once per article). `--dry-run` imports as `--dry-run` does: all the
loading, then a rollback, so "commit" is only the rollback.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
    report = import_wordpress(export_path, progress=progress, dry_run=dry_run)
    finished = time.perf_counter()
    print(
        json.dumps(
            {
                "posts": report.counts["posts created"],
                "seconds": finished - started,
                "load_seconds": loaded[0] - started,
                "rss_before_mb": before,
                "rss_peak_mb": peak_rss_mb(),
            }
        )
    )


def run(sizes: list[int], *, keep: bool, dry_run: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="broadsheet-wp-bench-"))
    print(
        f"{'posts':>7} {'file MB':>8} {'seconds':>8} {'loading':>8} {'commit':>8}"
        f" {'posts/s':>8} {'peak MB':>8} {'growth MB':>9}"
    )
    for size in sizes:
        folder = work / str(size)
        folder.mkdir()
        export_path = folder / "export.xml"
        write_export(export_path, size)
        env = {
            **os.environ,
            "BROADSHEET_VAR_DIR": str(folder / "var"),
            "DATABASE_URL": f"sqlite:///{folder / 'var' / 'bench.sqlite3'}",
            "REDIS_URL": "",
        }
        (folder / "var").mkdir()
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
        growth = figures["rss_peak_mb"] - figures["rss_before_mb"]
        commit = figures["seconds"] - figures["load_seconds"]
        print(
            f"{figures['posts']:>7} {export_path.stat().st_size / 1e6:>8.1f}"
            f" {figures['seconds']:>8.1f} {figures['load_seconds']:>8.1f}"
            f" {commit:>8.1f} {figures['posts'] / figures['seconds']:>8.0f}"
            f" {figures['rss_peak_mb']:>8.0f} {growth:>9.0f}",
            flush=True,
        )
    if keep:
        print(f"Files kept in {work}")
    else:
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    parser.add_argument(
        "--dry-run", action="store_true", help="Roll back instead of committing."
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.child, dry_run=args.dry_run)
    else:
        run(args.posts, keep=args.keep, dry_run=args.dry_run)


if __name__ == "__main__":
    main()
