"""Static export next to Hugo: the issue-5 scenario, driven by bench/run.py.

Broadsheet: `broadsheet export static DIR` on the big database (the demo plus the
generated corpus), timed with os.wait4 (wall time, ru_maxrss of the process); then
one article is edited through `publishing.services.save_article` (which bumps the
page-cache surfaces the incremental export consults) and the export runs again.

Hugo: the same generated corpus (`build_corpus(N, seed, words, notes)` with the
parameters bench/corpus.py uses) written as Markdown with front matter into a
temporary Hugo site with a minimal theme comparable to Broadsheet's public pages:
article pages (title, subtitle, byline, date, body, notes, tags), the home list,
tag, category and author pages, all paginated 10 per page, the site RSS feed (20
items, like Broadsheet's /feed/) and the sitemap. `hugo --quiet --destination OUT`
is timed the same way. Writing the Markdown is set-up, not part of Hugo's figure.
"""

# ruff: noqa: E501 (the Hugo templates below keep their lines whole)
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Same parameters as bench/corpus.py's defaults (run.py loads the corpus with them).
SEED, WORDS, NOTES = 1, 800, 3

HUGO_CONFIG = """\
baseURL = "https://bench.example/"
languageCode = "en"
title = "Broadsheet bench corpus"
paginate = 10
disableKinds = []
enableRobotsTXT = false

[taxonomies]
  tag = "tags"
  category = "categories"
  author = "authors"

[permalinks]
  posts = "/articles/:slug/"

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[services.rss]
  limit = 20

[markup.goldmark.extensions]
  footnote = true
  typographer = true
"""

BASEOF = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Taxonomies.categories }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><a href="{{ "tags/" | relURL }}">Tags</a> · <a href="{{ "authors/" | relURL }}">Authors</a></footer>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.subtitle }}<p class="subtitle">{{ . }}</p>{{ end }}
<p class="byline">By {{ range $i, $a := .GetTerms "authors" }}{{ if $i }} and {{ end }}<a href="{{ $a.RelPermalink }}">{{ $a.LinkTitle }}</a>{{ end }}
· <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>
· {{ .ReadingTime }} min read</p>
<div class="body">{{ .Content }}</div>
<p class="filed">Filed under {{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ if .IsHome }}Latest{{ else }}{{ .Title }}{{ end }}</h1>
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = where .Site.RegularPages "Section" "posts" }}{{ end }}
{{ $pager := .Paginate $pages }}
<ol class="articles">
{{ range $pager.Pages }}
<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ with .Description }}<p>{{ . }}</p>{{ end }}
{{ if .IsPage }}<p class="byline">{{ range $i, $a := .GetTerms "authors" }}{{ if $i }} and {{ end }}<a href="{{ $a.RelPermalink }}">{{ $a.LinkTitle }}</a>{{ end }}
· {{ .Date.Format "2 January 2006" }}</p>{{ end }}</li>
{{ end }}
</ol>
{{ template "_internal/pagination.html" . }}
{{ end }}
"""


# ------------------------------------------------------------------ helpers
def run_measured(
    args: list[object],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log_path: Path,
) -> dict[str, object]:
    """Run a command to completion: wall time and peak RSS (os.wait4's ru_maxrss,
    KiB on Linux; it covers the process and any children it waited for).

    Dirty pages of earlier steps are flushed first (os.sync), so a build does not
    pay for the previous one's writes: file creation on these machines' disks
    slowed 3-10x while thousands of earlier files were still being written back."""
    command = [str(a) for a in args]
    out_path = log_path.with_suffix(".out")
    os.sync()
    with open(out_path, "wb") as out, open(log_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4
    stdout = out_path.read_text(errors="replace")
    stderr = log_path.read_text(errors="replace")
    return {
        "command": " ".join(command),
        "seconds": round(seconds, 2),
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "user_s": round(usage.ru_utime, 2),
        "system_s": round(usage.ru_stime, 2),
        "returncode": proc.returncode,
        "stdout_tail": stdout.strip().splitlines()[-3:],
        "stderr_tail": [
            line for line in stderr.strip().splitlines() if "pages..." not in line
        ][-5:],
    }


def tree_stats(directory: Path) -> dict[str, object]:
    files = html = 0
    size = 0
    for path in directory.rglob("*"):
        if path.is_file() and not path.name.startswith(".broadsheet-export"):
            files += 1
            size += path.stat().st_size
            html += path.suffix == ".html"
    return {"files": files, "html_files": html, "mb": round(size / 1e6, 1)}


# ------------------------------------------------------------- Broadsheet side
EDIT_SNIPPET = """\
import json, os, re, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
import django
django.setup()
from django.db import transaction
from broadsheet.content.models import Article
from broadsheet.publishing.services import save_article

published = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("pk")
article = published[published.count() // 2]
base = re.sub(r" \\(edited [^)]*\\)$", "", article.title)
article.title = base + " (edited " + time.strftime("%H:%M:%S") + ")"
started = time.perf_counter()
with transaction.atomic():
    problems = save_article(article)
print(json.dumps({{"slug": article.slug, "title": article.title,
                  "problems": problems,
                  "save_s": round(time.perf_counter() - started, 3)}}))
"""


def edit_one_article(env: dict[str, str], logs: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", EDIT_SNIPPET.format(root=str(ROOT))],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    (logs / "export-edit.log").write_text(done.stdout + done.stderr)
    if done.returncode:
        raise RuntimeError(f"editing one article failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def broadsheet_export(
    var_dir: Path, out: Path, env: dict[str, str], logs: Path, log
) -> dict[str, object]:
    command = [BIN / "broadsheet", "export", "static", out]
    log(f"Static export (full) of {var_dir.name} into {out}")
    full = run_measured(command, env=env, cwd=ROOT, log_path=logs / "export-full.log")
    full["output"] = tree_stats(out)
    log(
        f"export full: {full['seconds']} s, peak {full['max_rss_mb']} MB, "
        f"exit {full['returncode']}: {' '.join(full['stdout_tail'][-1:])}"
    )
    result: dict[str, object] = {"full": full}
    if full["returncode"]:
        return result
    edit = edit_one_article(env, logs)
    result["edit"] = edit
    log(f"edited {edit['slug']} through save_article ({edit['save_s']} s)")
    incremental = run_measured(
        command, env=env, cwd=ROOT, log_path=logs / "export-incremental.log"
    )
    result["incremental"] = incremental
    log(
        f"export incremental: {incremental['seconds']} s, peak "
        f"{incremental['max_rss_mb']} MB, exit {incremental['returncode']}: "
        f"{' '.join(incremental['stdout_tail'][-1:])}"
    )
    # which pages did the incremental run render again, and why
    manifest = out / ".broadsheet-export.json"
    if manifest.exists():
        # The manifest names URLs and surfaces once, in tables; each page entry
        # (or None, for a URL no longer reached) is [file, hash, links, surfaces, ...].
        stored = json.loads(manifest.read_text())
        urls = stored["urls"]
        entries = [e for e in stored["pages"] if e is not None]
        no_versions = [
            urls[i] for i, e in enumerate(stored["pages"]) if e is not None and not e[3]
        ]
        kinds: dict[str, int] = {}
        for url in no_versions:
            kind = url.rsplit("/", 1)[-1] or url.strip("/").split("/")[0] + "/"
            kinds[kind] = kinds.get(kind, 0) + 1
        result["manifest"] = {
            "urls": len(entries),
            "urls_always_rerendered": len(no_versions),
            "always_rerendered_by_kind": dict(
                sorted(kinds.items(), key=lambda kv: -kv[1])[:10]
            ),
        }
    return result


# ------------------------------------------------------------------ Hugo side
def _yaml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON scalars/lists are YAML


def write_hugo_site(site: Path, articles: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from broadsheet.demo.corpus import build_corpus, build_corpus_taxonomy

    started = time.perf_counter()
    authors, categories, tags = build_corpus_taxonomy(SEED)
    names = {s.slug: s.name for s in (*authors, *categories, *tags)}
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "config.toml").write_text(HUGO_CONFIG)
    for name, text in (
        ("baseof.html", BASEOF),
        ("single.html", SINGLE),
        ("list.html", LIST),
    ):
        (site / "layouts" / "_default" / name).write_text(text)
    posts = site / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    words = 0
    for spec in build_corpus(articles, seed=SEED, words=WORDS, notes=NOTES):
        front = [
            "---",
            f"title: {_yaml(spec.title)}",
            f"subtitle: {_yaml(spec.subtitle)}",
            f"slug: {_yaml(spec.slug)}",
            f"date: {spec.published_at.isoformat()}",
            f"description: {_yaml(spec.excerpt)}",
            f"authors: {_yaml([names[s] for s in spec.author_slugs])}",
            f"categories: {_yaml([names[s] for s in spec.category_slugs])}",
            f"tags: {_yaml([names[s] for s in spec.tag_slugs])}",
            "---",
            "",
        ]
        (posts / f"{spec.slug}.md").write_text(
            "\n".join(front) + spec.body_markdown + "\n"
        )
        words += len(spec.body_markdown.split())
    return {
        "articles": articles,
        "seed": SEED,
        "words_approx": words,
        "write_s": round(time.perf_counter() - started, 1),
    }


def hugo_build(hugo: str, site: Path, articles: int, logs: Path, log):
    version = subprocess.run(
        [hugo, "version"], capture_output=True, text=True
    ).stdout.strip()
    log(f"Writing {articles:,} articles as Hugo content into {site}")
    content = write_hugo_site(site, articles)
    out = site.parent / "hugo-public"
    log(f"hugo build ({version})")
    command = [
        hugo, "--quiet", "--source", site, "--destination", out,
        "--cacheDir", site.parent / "hugo-cache",
    ]  # fmt: skip
    build = run_measured(command, cwd=site, log_path=logs / "hugo.log")
    build["output"] = tree_stats(out)
    log(
        f"hugo: {build['seconds']} s, peak {build['max_rss_mb']} MB, exit "
        f"{build['returncode']}, {build['output']['files']:,} files"
    )
    return {"version": version, "content": content, "build": build}


# -------------------------------------------------------------------- entry
def static_export_vs_hugo(
    var_dir: Path, articles: int, tmp: Path, env: dict[str, str], logs: Path, log
) -> dict[str, object]:
    import shutil

    work = tmp / "export"
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {"articles": articles}
    hugo = shutil.which("hugo")
    # Hugo first: a smaller peak for the machine's page cache to settle after.
    if hugo:
        try:
            result["hugo"] = hugo_build(hugo, work / "hugo-site", articles, logs, log)
        except Exception as exc:  # noqa: BLE001 (report and go on)
            result["hugo"] = {"error": str(exc)}
            log(f"hugo: {exc}")
    else:
        result["hugo"] = {"error": "hugo is missing: run `make system-deps`"}
    # Hugo's trees stay until both have run: deleting 26,000 files just before the
    # export left the disk busy discarding them while the export wrote its own.
    result["broadsheet"] = broadsheet_export(
        var_dir, work / "broadsheet-out", env, logs, log
    )
    shutil.rmtree(work / "hugo-site", ignore_errors=True)
    shutil.rmtree(work / "hugo-public", ignore_errors=True)
    return result


def table_rows(export: dict[str, object], n: str, table_row) -> list[dict]:
    """Rows for run.py's table (table_row is harness.table.table_row)."""
    rows = []
    if "error" in export:
        export = {"hugo": {"error": export["error"]}}
    bs = export.get("broadsheet", {})
    full = bs.get("full", {})
    hugo = export.get("hugo", {})
    build = hugo.get("build", {})
    hugo_ok = bool(build) and build.get("returncode") == 0
    bs_ok = bool(full) and full.get("returncode") == 0
    hugo_note = (
        f"Hugo {hugo['version'].split()[1] if hugo.get('version') else '?'}, "
        f"{build.get('output', {}).get('files', 0):,} files"
        if hugo_ok
        else f"Hugo: {hugo.get('error') or build.get('stderr_tail')}"
    )
    bs_note = (
        f"{full.get('output', {}).get('files', 0):,} files; "
        + " ".join(full.get("stdout_tail", [])[-1:])
        if bs_ok
        else f"export failed (exit {full.get('returncode')}): "
        f"{full.get('stdout_tail')} {full.get('stderr_tail')}"
    )
    rows.append(
        table_row(
            f"static export ({n} articles)",
            full.get("seconds") if bs_ok else None,
            build.get("seconds") if hugo_ok else None,
            unit="s",
            target="<= Hugo's time",
            passed=(full["seconds"] <= build["seconds"])
            if bs_ok and hugo_ok
            else (False if not bs_ok and full else None),
            note=f"{bs_note}; {hugo_note}",
        )
    )
    rows.append(
        table_row(
            "static export peak memory",
            full.get("max_rss_mb") if bs_ok else None,
            build.get("max_rss_mb") if hugo_ok else None,
            unit="MB",
            target="< 1/3 of Hugo's",
            passed=(full["max_rss_mb"] < build["max_rss_mb"] / 3)
            if bs_ok and hugo_ok
            else None,
            note="peak RSS (wait4 ru_maxrss)",
        )
    )
    inc = bs.get("incremental")
    inc_ok = bool(inc) and inc.get("returncode") == 0
    manifest = bs.get("manifest", {})
    rows.append(
        table_row(
            "incremental export after one edit",
            inc.get("seconds") if inc_ok else None,
            None,
            unit="s",
            target="< 2 s",
            passed=(inc["seconds"] < 2) if inc_ok else (False if inc else None),
            note=(
                " ".join(inc.get("stdout_tail", [])[-1:])
                + (
                    f"; {manifest['urls_always_rerendered']:,} of "
                    f"{manifest['urls']:,} URLs carry no surfaces and are rendered "
                    f"on every run ({manifest['always_rerendered_by_kind']})"
                    if manifest
                    else ""
                )
                if inc
                else "not run (full export failed)"
            ),
        )
    )
    return rows
