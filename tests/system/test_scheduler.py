"""Scheduled articles go live on a real `broadsheet serve` with nobody present,
through the page cache, and once only across a restart."""

from __future__ import annotations

import time

import pytest

from tests.system import serving
from tests.system.serving import Site

pytestmark = [pytest.mark.system, pytest.mark.xdist_group("scheduler")]

PUBLISHED_LINE = "Published scheduled article"


def schedule_article(site: Site, *, title: str, slug: str, seconds: float) -> float:
    """Schedule a new article `seconds` ahead through the CLI; return its due time
    (seconds since the epoch)."""
    output = site.shell(
        "import datetime\n"
        "from django.utils import timezone\n"
        "from broadsheet.content.models import Article, Author\n"
        "from broadsheet.publishing.services import save_article\n"
        f"at = timezone.now() + datetime.timedelta(seconds={seconds})\n"
        f"article = Article(title={title!r}, slug={slug!r},"
        " body='Letterpress ink dries by oxidation, not evaporation.',"
        " status=Article.Status.SCHEDULED, published_at=at)\n"
        "save_article(article, authors=[Author.objects.order_by('pk').first()])\n"
        "print(article.published_at.timestamp())\n"
    )
    return float(output.split()[-1])


def status_of(site: Site, slug: str) -> str:
    return site.shell(
        "from broadsheet.content.models import Article\n"
        f"print(Article.objects.get(slug={slug!r}).status)\n"
    ).split()[-1]


def cached(site: Site, path: str) -> serving.Response:
    """Fetch `path` until the page cache answers it; return that cached answer."""
    for _ in range(3):
        response = site.fetch(path)
        if response.headers.get("X-Broadsheet-Cache") == "hit":
            return response
    raise AssertionError(f"{path} never came from the page cache")


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def test_a_scheduled_article_reaches_cached_pages_with_no_request_at_its_time(
    served_site: Site,
):
    title = "Drying Times of Letterpress Ink"
    due = schedule_article(served_site, title=title, slug="drying-times", seconds=5)
    for path in ("/", "/feed/"):
        assert title not in cached(served_site, path).text
    assert time.time() < due, "the pages were cached only after the article was due"

    sleep_until(due + 3)  # no request meanwhile: only the scheduler can act

    for path in ("/", "/feed/"):
        assert title in served_site.fetch(path).text, path
    assert status_of(served_site, "drying-times") == "published"
    assert served_site.server_log().count(PUBLISHED_LINE) == 1


def test_an_article_due_while_the_server_is_down_is_published_once_after_restart(
    site_env: dict[str, str],
):
    title = "Quenching Type Metal"
    with serving.served_site(site_env) as before:
        due = schedule_article(before, title=title, slug="quenching", seconds=8)
        assert title not in cached(before, "/").text
    assert time.time() < due, "the first server stopped only after the due time"
    assert status_of(before, "quenching") == "scheduled"

    sleep_until(due + 1)
    with serving.served_site(site_env) as after:
        deadline = time.monotonic() + 30
        while status_of(after, "quenching") != "published":
            assert time.monotonic() < deadline, "not published after the restart"
            time.sleep(0.5)
        assert title in after.fetch("/").text

    logs = before.server_log() + after.server_log()
    assert logs.count(PUBLISHED_LINE) == 1
    assert PUBLISHED_LINE in after.server_log()
