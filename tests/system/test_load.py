"""Reliability under load: 64 readers and 4 editors on `broadsheet serve` for a
minute, on SQLite and on PostgreSQL.

Readers fetch the home page, articles, feeds, search and the indexes as fast as
they can; editors logged in through the newsroom's login save one shared draft
(racing each other: each save is a success or a clean 409), put changes to their
own live article before readers and publish new articles. Afterwards: no answer
was a 5xx, every connection was answered, every acknowledged save is in the
database and on the public pages, and each article's view count grew by exactly
the browser GETs it answered. The figures are printed (`pytest -s`) and shown in
the run's summary (tests/system/conftest.py).
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

import pytest

from tests.system import site_state
from tests.system.newsroom import Newsroom, add_editor, is_saved, step_done
from tests.system.serving import BOT_UA, BROWSER_UA, Site

pytestmark = [pytest.mark.system, pytest.mark.slow, pytest.mark.xdist_group("load")]

DURATION = float(os.environ.get("BROADSHEET_LOAD_SECONDS", "60"))
READERS = 64
EDITORS = 4
# A reader's GET of an article page counts a view; a robot's does not.
ROBOT_SHARE = 0.1
NEW_ARTICLE_EVERY = 4  # editor rounds
LISTS = [
    "/",
    "/page/2/",
    "/feed/",
    "/feed/atom/",
    "/feed.json",
    "/sitemap.xml",
    "/tags/",
    "/categories/",
    "/authors/",
    "/archive/",
    "/most-read/",
    "/sources/",
]
SEARCHES = ["type", "ink", "paper", "bees", "bread", "tower", '"movable type"']
BAKING_WORDS = [
    "caramel", "crumb", "gluten", "levain", "malt", "oven", "proofing", "rye",
    "scoring", "spelt", "starch", "steam", "sugar", "toast", "wheat", "yeast",
]  # fmt: skip
SHARED_BODY = (
    "A sourdough starter is a culture of yeasts and lactic bacteria kept in flour"
    " and water.[^1]\n\n[^1]: Fed daily, it keeps for years."
)


@dataclass
class Tally:
    """What the threads saw, added up under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)  # (kind, status) -> answers
    server_errors: list[str] = field(default_factory=list)
    no_answer: list[str] = field(default_factory=list)
    reader_seconds: list[float] = field(default_factory=list)
    editor_seconds: list[float] = field(default_factory=list)
    counted: Counter = field(default_factory=Counter)  # article slug -> views
    shared_saves: list[str] = field(default_factory=list)  # acknowledged markers
    conflicts: int = 0
    changes_published: dict[str, list[str]] = field(default_factory=dict)
    new_published: list[tuple[str, str]] = field(default_factory=list)  # slug, title
    refused: list[str] = field(default_factory=list)

    def answer(self, kind: str, what: str, status: int | None, seconds: float) -> None:
        with self.lock:
            if status is None:
                self.no_answer.append(what)
                return
            self.statuses[kind, status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {what}")
            (self.reader_seconds if kind == "reader" else self.editor_seconds).append(
                seconds
            )


def read_forever(site: Site, articles: list[str], tally: Tally, stop: float) -> None:
    """One reader: random pages until `stop` (a monotonic time)."""
    chance = random.Random()
    while time.monotonic() < stop:
        if chance.random() < 0.55:
            slug = chance.choice(articles)
            path, robot = f"/articles/{slug}/", chance.random() < ROBOT_SHARE
        elif chance.random() < 0.3:
            words = chance.choice(SEARCHES)
            path, robot = f"/search/?q={urllib.parse.quote_plus(words)}", False
        else:
            path, robot = chance.choice(LISTS), False
        started = time.monotonic()
        try:
            status = site.request(
                path, user_agent=BOT_UA if robot else BROWSER_UA
            ).status
        except (OSError, http.client.HTTPException) as error:
            tally.answer("reader", f"GET {path}: {error!r}", None, 0)
            continue
        tally.answer("reader", f"GET {path}", status, time.monotonic() - started)
        if status == 200 and path.startswith("/articles/") and not robot:
            with tally.lock:
                tally.counted[slug] += 1


class Editor:
    """One editor's round: save the shared draft, publish changes to their own live
    article, now and then write and publish a new one."""

    def __init__(self, number: int, desk: Newsroom, shared: int, own: int, author: int):
        self.number, self.desk = number, desk
        self.shared, self.own, self.author = shared, own, author

    def fields(self, title: str, body: str) -> dict:
        return {"title": title, "body": body, "authors": [self.author]}

    def work(self, tally: Tally, articles: list[str], stop: float) -> None:
        for rounds in itertools.count(1):
            if time.monotonic() >= stop:
                return
            marker = f"editor {self.number}, round {rounds}"
            self.save_shared(tally, marker)
            self.publish_changes(tally, marker)
            if rounds % NEW_ARTICLE_EVERY == 1:  # the first round too
                self.publish_new(tally, articles, rounds)

    def timed(self, tally: Tally, what: str, action):
        started = time.monotonic()
        try:
            answer = action()
        except (OSError, http.client.HTTPException) as error:
            tally.answer("editor", f"{what}: {error!r}", None, 0)
            return None
        tally.answer("editor", what, answer.status, time.monotonic() - started)
        return answer

    def save_shared(self, tally: Tally, marker: str) -> None:
        body = f"{SHARED_BODY}\n\nTasted by {marker}."
        answer = self.timed(
            tally,
            "save the shared draft",
            lambda: self.desk.save(self.shared, self.fields("Keeping a Starter", body)),
        )
        if answer is None:
            return
        with tally.lock:
            if answer.status == 409:
                tally.conflicts += 1
            elif is_saved(answer):
                tally.shared_saves.append(marker)
            else:
                tally.refused.append(f"shared save {marker}: {answer.status}")

    def publish_changes(self, tally: Tally, marker: str) -> None:
        # Other words each round: the article's terms, the site's frequencies and the
        # related reading of its neighbours change with every publish.
        words = " ".join(random.sample(BAKING_WORDS, 3))
        body = f"Bread crust browns with {words}, checked by {marker}."
        answer = self.timed(
            tally,
            "publish changes",
            lambda: self.desk.save(
                self.own,
                self.fields(f"Crust Notes {self.number}", body),
                step="publish_changes",
            ),
        )
        if answer is None:
            return
        with tally.lock:
            if step_done(answer, "Publish changes"):
                tally.changes_published.setdefault(str(self.own), []).append(marker)
            else:
                tally.refused.append(f"publish changes {marker}: {answer.status}")

    def publish_new(self, tally: Tally, articles: list[str], rounds: int) -> None:
        title = f"Oven Log {self.number}-{rounds}"
        slug = f"oven-log-{self.number}-{rounds}"
        fields = {
            **self.fields(title, f"The oven held {rounds * 5} degrees for an hour."),
            "slug": slug,
        }

        def write_and_publish():
            pk, _draft = self.desk.create(fields)
            return self.desk.save(pk, fields, step="publish")

        answer = self.timed(tally, "publish a new article", write_and_publish)
        if answer is None:
            return
        if step_done(answer, "Publish"):
            with tally.lock:
                tally.new_published.append((slug, title))
            articles.append(slug)  # readers read it from now on
        else:
            with tally.lock:
                tally.refused.append(f"publish {slug}: {answer.status}")


def stored_state(site: Site, shared: int) -> dict:
    """View counts of every article, and the shared draft's saves, from the database."""
    return site_state.ask(site.env, "load_run", shared=shared)


def settle_views(site: Site, shared: int, expected: dict[str, int]) -> dict:
    """Wait for the workers' flushes (every 2 s) until the counts reach `expected`,
    then one flush more: a batch counted twice would show then."""
    deadline = time.monotonic() + 30
    while True:
        state = stored_state(site, shared)
        reached = all(state["views"].get(s, 0) >= n for s, n in expected.items())
        if reached or time.monotonic() > deadline:
            break
        time.sleep(1)
    time.sleep(3)
    return stored_state(site, shared)


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[
        round(share * 100) - 1
    ]


def figures(vendor: str, tally: Tally, seconds: float, count_check: str) -> str:
    requests = sum(tally.statuses.values()) + len(tally.no_answer)
    statuses = ", ".join(
        f"{k} {s}: {n}" for (k, s), n in sorted(tally.statuses.items())
    )
    return (
        f"load [{vendor}] {seconds:.0f} s, {READERS} readers + {EDITORS} editors:"
        f" {requests} requests ({requests / seconds:.0f}/s),"
        f" reader p50 {percentile(tally.reader_seconds, 0.5) * 1000:.0f} ms"
        f" p95 {percentile(tally.reader_seconds, 0.95) * 1000:.0f} ms,"
        f" editor p50 {percentile(tally.editor_seconds, 0.5) * 1000:.0f} ms"
        f" p95 {percentile(tally.editor_seconds, 0.95) * 1000:.0f} ms;"
        f" 5xx {len(tally.server_errors)}, unanswered {len(tally.no_answer)};"
        f" shared saves {len(tally.shared_saves)} ok / {tally.conflicts} conflicts,"
        f" changes published {sum(map(len, tally.changes_published.values()))},"
        f" new articles published {len(tally.new_published)};"
        f" answers {statuses}; views {count_check}"
    )


def test_readers_and_editors_for_a_minute_lose_nothing(
    served_site: Site, database, record_property
):
    site = served_site
    author = int(
        site.shell(
            "from broadsheet.content.models import Author\n"
            "print(Author.objects.order_by('pk').first().pk)"
        ).split()[-1]
    )
    desks = []
    for number in range(1, EDITORS + 1):
        username = f"editor{number}"
        desks.append(Newsroom.log_in(site, username, add_editor(site, username)))
    shared, _ = desks[0].create(
        {"title": "Keeping a Starter", "body": SHARED_BODY, "authors": [author]}
    )
    editors = []
    for number, desk in enumerate(desks, start=1):
        fields = {
            "title": f"Crust Notes {number}",
            "slug": f"crust-notes-{number}",
            "body": "Bread crust browns by the Maillard reaction.",
            "authors": [author],
        }
        own, _ = desk.create(fields)
        assert step_done(desk.save(own, fields, step="publish"), "Publish")
        editors.append(Editor(number, desk, shared, own, author))
    before = stored_state(site, shared)
    articles = list(before["published"])
    tally = Tally()

    started = time.monotonic()
    stop = started + DURATION
    threads = [
        threading.Thread(target=read_forever, args=(site, articles, tally, stop))
        for _ in range(READERS)
    ] + [
        threading.Thread(target=editor.work, args=(tally, articles, stop))
        for editor in editors
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started

    expected = {
        slug: before["views"].get(slug, 0) + n for slug, n in tally.counted.items()
    }
    after = settle_views(site, shared, expected)
    wrong = {
        slug: (after["views"].get(slug, 0) - before["views"].get(slug, 0), counted)
        for slug in set(after["views"]) | set(tally.counted)
        if after["views"].get(slug, 0) - before["views"].get(slug, 0)
        != (counted := tally.counted.get(slug, 0))
    }
    count_check = (
        f"exact on {len(tally.counted)} articles ({sum(tally.counted.values())} views)"
        if not wrong
        else f"WRONG on {len(wrong)} articles (stored, counted): {wrong}"
    )
    line = figures(database.vendor, tally, seconds, count_check)
    print(line)
    record_property("figures", line)

    assert not tally.server_errors, tally.server_errors[:20]
    assert not tally.no_answer, tally.no_answer[:20]
    assert not tally.refused, tally.refused[:20]
    assert {status for kind, status in tally.statuses if kind == "reader"} == {200}
    assert {status for kind, status in tally.statuses if kind == "editor"} <= {200, 409}
    # Nothing went wrong out of sight either (view flushes, the scheduler).
    assert "Traceback" not in site.server_log(tail=10**9)
    assert not wrong, count_check
    # Every acknowledged save of the shared draft is a revision, nothing else is, the
    # version counts them, and the article holds the last one.
    saved = after["shared"]["saved"]
    markers = [body.rpartition("Tasted by ")[2].rstrip(".") for body in saved[1:]]
    assert sorted(markers) == sorted(tally.shared_saves)
    assert after["shared"]["conflicts"] == tally.conflicts
    assert after["shared"]["version"] == before["shared"]["version"] + len(
        tally.shared_saves
    )
    assert after["shared"]["body"] == saved[-1]
    assert len(tally.shared_saves) >= EDITORS and tally.conflicts > 0
    # Published changes: each one a revision, the last one what readers get.
    for editor in editors:
        markers = tally.changes_published[str(editor.own)]
        bodies = after["changes"][str(editor.own)]
        assert [b.rpartition("checked by ")[2].rstrip(".") for b in bodies] == markers
        assert after["live"][str(editor.own)] == bodies[-1]
        assert markers[-1] in site.fetch(f"/articles/crust-notes-{editor.number}/").text
    # New articles: live, each on its own page, the latest on the home page.
    assert tally.new_published, "no editor published a new article"
    for slug, title in tally.new_published:
        assert slug in after["published"]
        assert title in site.fetch(f"/articles/{slug}/").text
    assert tally.new_published[-1][1] in site.fetch("/").text
