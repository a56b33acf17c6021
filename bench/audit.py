"""Audit the reading experience: Lighthouse scores of every page type, screenshots.

    .venv/bin/python bench/audit.py                   # Lighthouse + screenshots
    .venv/bin/python bench/audit.py --no-screenshots
    .venv/bin/python bench/audit.py --pages home,sources --no-screenshots

Loads the demo site into a temporary directory, serves it with `broadsheet serve` on a
free loopback port, and stops it afterwards. Lighthouse (npm, `make node-deps`) runs
against Debian's Chromium (CHROME_PATH) with its default mobile emulation and
throttling on each page type in PAGES (the article and the list pages: home, a
section, the tag index, Sources, an author, search); the four category scores of
each go to bench/results/lighthouse.json, and a page type scoring below 95 in any
category makes the run fail. Screenshots of the article at 390, 768 and 1440 px,
dark theme, an open note and print (Chromium's PDF, its first page as PNG when
`pdftoppm` exists), and of the home page at 390, 768 and 1440 px, go to
docs/screenshots/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTICLE = "/articles/the-long-life-of-movable-type/"
# Every page type of the public site, as the demo has them.
PAGES = {
    "article": ARTICLE,
    "home": "/",
    "section": "/categories/print-and-type/",
    "tags": "/tags/",
    "sources": "/sources/",
    "author": "/authors/hester-quayle/",
    "search": "/search/?q=type",
}
MINIMUM_SCORE = 95
# Search results are kept out of search engines (<meta name="robots" content=
# "noindex">), which Lighthouse's SEO category scores as a failure by design.
NOT_INDEXED = {"search"}
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = [
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
]
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def log(message: str) -> None:
    print(f"audit: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def demo_site(var_dir: Path) -> Iterator[str]:
    """Load the demo into `var_dir`, serve it, yield its base URL, stop the server."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BROADSHEET_")},
        "BROADSHEET_VAR_DIR": str(var_dir),
        "DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    demo = [BIN / "broadsheet", "demo"]
    subprocess.run(demo, env=env, check=True, capture_output=True)
    port = free_port()
    with (var_dir / "serve.log").open("wb") as server_log:
        server = subprocess.Popen(
            [BIN / "broadsheet", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((var_dir / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def lighthouse(url: str, out: Path) -> dict[str, object]:
    """Run Lighthouse on `url`; return its version, category scores and key metrics."""
    report = out / "lighthouse-report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    # Lighthouse sometimes loses the trace of a load (NO_NAVSTART) and asks to be
    # run again: once more, then the failure stands.
    if subprocess.run(command, env=env).returncode != 0:
        log(f"Lighthouse failed on {url}; running it once more")
        subprocess.run(command, env=env, check=True)
    data = json.loads(report.read_text())
    audits = data["audits"]
    for audit_id, audit in sorted(audits.items()):
        score = audit.get("score")
        if score is not None and score < 0.9 and audit["scoreDisplayMode"] != "manual":
            value = audit.get("displayValue", "")
            log(f"below 0.9: {audit_id}: {audit['title']} {value}")
    return {
        "lighthouse": data["lighthouseVersion"],
        "scores": {
            name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES
        },
        "metrics": {
            name: audits[name].get("displayValue") for name in METRICS if name in audits
        },
    }


def screenshots(base: str, out: Path) -> list[Path]:
    """Save what a reader sees at three widths, in dark, with a note open, in print."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROME_FLAGS[1:]
        )
        shots = [
            ("article-390.png", 390, 844, "light", None),
            ("article-390-note.png", 390, 844, "light", "note"),
            ("article-768.png", 768, 1024, "light", None),
            ("article-1440.png", 1440, 900, "light", "section"),
            ("article-1440-dark.png", 1440, 900, "dark", "section"),
        ]
        for name, width, height, scheme, where in shots:
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            page = context.new_page()
            page.goto(base + ARTICLE)
            page.evaluate("document.fonts.ready.then(() => true)")
            if where == "section":
                page.evaluate(
                    "scrollTo(0, document.getElementById('the-proof-and-the-page')"
                    ".getBoundingClientRect().top + scrollY - 24)"
                )
            elif where == "note":
                page.evaluate(
                    "scrollTo(0, document.getElementById('noteref-3')"
                    ".getBoundingClientRect().top + scrollY - 360)"
                )
                page.locator("#noteref-3").click()
                page.get_by_role("dialog").wait_for()
            page.wait_for_timeout(300)
            page.screenshot(path=out / name)
            saved.append(out / name)
            if name == "article-1440.png":
                page.emulate_media(media="print")
                page.pdf(path=out / "article-print.pdf", format="A4")
                saved.append(out / "article-print.pdf")
            context.close()
        for width in (390, 768, 1440):
            context = browser.new_context(
                viewport={"width": width, "height": 844 if width < 500 else 900}
            )
            page = context.new_page()
            page.goto(base + "/", wait_until="networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.screenshot(path=out / f"home-{width}.png")
            saved.append(out / f"home-{width}.png")
            context.close()
        browser.close()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        prefix = out / "article-print"
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
             out / "article-print.pdf", prefix],
            check=True,
        )  # fmt: skip
        saved.append(prefix.with_suffix(".png"))
    else:
        log("pdftoppm not installed (poppler-utils): the print view stays a PDF")
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help=f"Page types to run Lighthouse on, comma-separated ({', '.join(PAGES)}).",
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in PAGES]
    if unknown:
        log(f"unknown page types {unknown}: choose from {', '.join(PAGES)}")
        return 2
    if not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} missing: run `make system-deps`")
        return 1
    if not args.no_lighthouse and not LIGHTHOUSE.exists():
        log(f"{LIGHTHOUSE} missing: run `make node-deps`")
        return 1
    failed = []
    with (
        tempfile.TemporaryDirectory(prefix="broadsheet-audit-") as tmp,
        demo_site(Path(tmp) / "var") as base,
    ):
        log(f"serving the demo at {base}")
        if not args.no_lighthouse:
            pages = {}
            for name in chosen:
                (Path(tmp) / name).mkdir()
                pages[name] = {
                    "url": PAGES[name],
                    **lighthouse(base + PAGES[name], Path(tmp) / name),
                }
                scores = pages[name]["scores"]
                log(f"{name} {PAGES[name]}: {scores}")
                failed += [
                    f"{name} {cat} {n}"
                    for cat, n in scores.items()
                    if n < MINIMUM_SCORE and not (cat == "seo" and name in NOT_INDEXED)
                ]
            result = {
                "form_factor": "mobile (Lighthouse default emulation, throttled)",
                "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "load_average": os.getloadavg()[0],
                "pages": pages,
            }
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(result, indent=2) + "\n")
            log(f"scores -> {RESULTS.relative_to(ROOT)}")
        if not args.no_screenshots:
            for path in screenshots(base, SCREENSHOTS):
                log(f"saved {path.relative_to(ROOT)}")
    if failed:
        log(f"below {MINIMUM_SCORE}: {'; '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
