"""Time `broadsheet sources import` on generated BibTeX and CSL-JSON bibliographies.

    .venv/bin/python bench/import_speed.py             # 25,000 entries, both formats
    .venv/bin/python bench/import_speed.py --entries 2500 --formats bib
    .venv/bin/python bench/import_speed.py --profile   # cProfile, in-process

Each format is imported by the real command in a subprocess, into a fresh SQLite
database in a temporary directory (migrated first, not timed): a first import
(every work added), the same file again (every work skipped) and a changed file
(every work updated). Wall-clock seconds and file sizes are printed; nothing in
var/ is touched. The entries are invented (printing, typography, paper, ink and
cooking), seeded, with the LaTeX accents, page ranges, months, DOIs and URLs real
bibliographies carry. With --profile the first import of each format runs in this
process under cProfile and the 25 costliest functions are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

FAMILIES = [
    "Marlow", "Quill", "Fenn", "Okafor", "Harrow", "Whitcombe", "Lind", "Oake",
    "M{\\\"u}ller", "Caf{\\'e}", "van der Berg", "Nu{\\~n}ez", "Dvo{\\v r}{\\'a}k",
    "Sørensen", "Brandão", "Ito", "Kowalski", "Achebe", "Lefèvre", "Castell",
]  # fmt: skip
GIVEN = ["Agnes", "Tobias", "Ruth", "Hester", "J{\\\"o}rg", "Amara", "Piet", "Lin",
         "Oskar", "Mei", "Ada", "Chidi", "Inès", "Tomasz", "Rosa", "Kenji"]  # fmt: skip
SUBJECTS = [
    "movable type", "rag paper", "iron-gall ink", "the platen press", "copperplate",
    "lithographic stone", "bread ovens", "sourdough starters", "marmalade",
    "woodcut borders", "the composing stick", "hot metal", "letterpress proofs",
    "vellum bindings", "spice routes", "the hand mould", "watermarks", "quire signing",
]  # fmt: skip
FORMS = ["A history of {s}", "Notes on {s}", "{S} in the provinces",
         "The trade in {s}", "On the making of {s}", "{S}: a survey"]  # fmt: skip
VENUES = ["Journal of Paper History", "Printing Quarterly", "Notes on Ink",
          "Bulletin of the Type Society", "Food and Foodways Review"]  # fmt: skip
PUBLISHERS = ["Harbour Press", "Lantern Books", "Quire & Sons", "Oven House"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct"]
KINDS = ["article", "book", "incollection", "inproceedings", "phdthesis", "misc"]


def entries(count: int, *, seed: int = 1, revision: str = "") -> list[dict]:
    """Return `count` invented works as plain dicts (kind, key, fields)."""
    rng = random.Random(seed)
    works = []
    for number in range(count):
        subject = rng.choice(SUBJECTS)
        title = rng.choice(FORMS).format(s=subject, S=subject.capitalize())
        year = rng.randint(1820, 2023)
        kind = rng.choice(KINDS)
        authors = [
            f"{rng.choice(FAMILIES)}, {rng.choice(GIVEN)}"
            for _ in range(rng.randint(1, 3))
        ]
        fields = {"author": " and ".join(authors), "title": title + revision,
                  "year": str(year)}  # fmt: skip
        if kind in ("article", "inproceedings", "incollection"):
            first = rng.randint(1, 400)
            fields["pages"] = f"{first}--{first + rng.randint(2, 40)}"
            fields["journal" if kind == "article" else "booktitle"] = rng.choice(VENUES)
        if kind == "article":
            fields["volume"] = str(rng.randint(1, 90))
            fields["month"] = rng.choice(MONTHS)
            fields["doi"] = f"10.5555/bench.{number}"
        else:
            fields["publisher"] = rng.choice(PUBLISHERS)
        if kind == "misc":
            fields["url"] = f"https://example.org/archive/{number}"
            fields["urldate"] = f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        works.append({"kind": kind, "key": f"w{number:06d}x{year}", "fields": fields})
    return works


def as_bibtex(works: list[dict]) -> str:
    """Write works as BibTeX."""
    out = []
    for work in works:
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in work["fields"].items())
        out.append(f"@{work['kind']}{{{work['key']},\n{body}\n}}\n")
    return "\n".join(out)


def as_csljson(works: list[dict]) -> str:
    """Write works as CSL-JSON, through the BibTeX reader so both files say the same."""
    from broadsheet.sources.formats import bibtex, csljson

    return csljson.dump(bibtex.parse(as_bibtex(works)))


def run_import(path: Path, env: dict[str, str]) -> tuple[float, str]:
    """Run the real import command; return (wall seconds, its summary line)."""
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "broadsheet"), "sources", "import", str(path)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"import of {path.name} failed:\n{result.stdout}{result.stderr}")
    return elapsed, result.stdout.strip().splitlines()[-1]


def fresh_env(directory: Path) -> dict[str, str]:
    """Environment for a migrated, empty site under `directory`."""
    env = dict(os.environ, BROADSHEET_VAR_DIR=str(directory))
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [str(BIN / "broadsheet"), "manage", "migrate", "--verbosity=0"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return env


def profile(path: Path) -> None:
    """Import `path` in this process under cProfile and print the costliest calls."""
    from broadsheet.sources.models import Work
    from broadsheet.sources.services import import_works

    Work.objects.all().delete()
    text = path.read_text(encoding="utf-8")
    profiler = cProfile.Profile()
    profiler.enable()
    summary = import_works(text, filename=path.name)
    profiler.disable()
    print(f"\n{path.name}: {summary.as_counts()}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=25_000)
    parser.add_argument("--formats", nargs="+", default=["bib", "json"])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    works, changed = entries(args.entries), entries(args.entries, revision=" (revised)")
    writers = {"bib": as_bibtex, "json": as_csljson}
    with tempfile.TemporaryDirectory(prefix="broadsheet-import-bench-") as tmp:
        # This process reads BibTeX with the site's reader (for the CSL-JSON file)
        # and, with --profile, imports: its own site lives in the temporary folder.
        setup_env(Path(tmp) / "in-process")
        for fmt in args.formats:
            site = Path(tmp) / fmt
            first, again = site / f"works.{fmt}", site / f"revised.{fmt}"
            site.mkdir()
            first.write_text(writers[fmt](works), encoding="utf-8")
            again.write_text(writers[fmt](changed), encoding="utf-8")
            size = first.stat().st_size / 1e6
            print(f"{fmt}: {args.entries:,} entries, {size:.1f} MB", flush=True)
            if args.profile:
                profile(first)
                continue
            env = fresh_env(site)
            for label, path in (("add", first), ("skip", first), ("update", again)):
                seconds, line = run_import(path, env)
                print(f"  {label:<6} {seconds:7.1f} s   {line}", flush=True)


def setup_env(directory: Path) -> None:
    """Set up Django in this process on a migrated site under `directory`."""
    directory.mkdir()
    os.environ["BROADSHEET_VAR_DIR"] = str(directory)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


if __name__ == "__main__":
    main()
