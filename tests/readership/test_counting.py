"""View counting: bot detection, atomic per-day totals, most-read ordering."""

import datetime
import errno
import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from broadsheet.readership import counting, spool
from broadsheet.readership.counting import (
    is_bot,
    most_read,
    record_view,
    upsert_views,
    view_count,
)
from tests.factories import make_article
from tests.serving.wsgi import FIREFOX, request, warm


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
            False,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605 Safari/604.1",
            False,
        ),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            True,
        ),
        ("curl/8.5.0", True),
        ("Mozilla/5.0 HeadlessChrome/120.0", True),
        ("", True),
    ],
    ids=["firefox", "safari", "googlebot", "curl", "headless", "empty"],
)
def test_is_bot_recognises_automated_clients(user_agent, expected):
    assert is_bot(user_agent) is expected


@pytest.mark.django_db
def test_record_view_adds_to_the_days_row_and_totals_across_days():
    article = make_article()
    today = timezone.now().date()
    record_view(article.pk)
    record_view(article.pk, count=4)
    record_view(article.pk, day=today - datetime.timedelta(days=40))
    assert view_count(article) == 6
    assert article.daily_views.get(day=today).count == 5


@pytest.mark.postgres
@pytest.mark.django_db
def test_view_count_is_an_int_on_every_database():
    article = make_article()
    record_view(article.pk, count=3)
    assert type(view_count(article)) is int and view_count(article) == 3


@pytest.mark.django_db
def test_most_read_honours_the_period_and_excludes_withdrawn_articles():
    old_hit, recent, withdrawn = make_article(), make_article(), make_article()
    long_ago = timezone.now().date() - datetime.timedelta(days=100)
    record_view(old_hit.pk, count=50, day=long_ago)
    record_view(recent.pk, count=2)
    record_view(withdrawn.pk, count=99)
    withdrawn.status = "draft"
    withdrawn.save()
    assert most_read(days=30) == [recent]
    assert most_read(days=None) == [old_hit, recent]


@pytest.mark.django_db(transaction=True)
def test_a_view_that_cannot_be_kept_is_dropped_and_the_page_still_served(
    settings, monkeypatch, caplog
):
    settings.BROADSHEET_VIEW_FLUSH_SECONDS = 60  # spooled, as under `serve`
    monkeypatch.setattr(counting, "_ensure_flusher", lambda: None)
    monkeypatch.setattr(counting, "_uncounted", {"views": 0, "logged_at": -1e9})
    article = make_article()
    path = article.get_absolute_url()
    warm(path)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool, "add", disk_full)
    # Whatever configured logging last (Django's setup replaces root handlers).
    monkeypatch.setattr(counting.logger, "handlers", [caplog.handler])
    monkeypatch.setattr(counting.logger, "propagate", False)
    answers = [request(path, user_agent=FIREFOX) for _ in range(3)]

    assert [
        (status, headers["x-broadsheet-cache"]) for status, headers, _ in answers
    ] == [(200, "hit")] * 3
    # One line for the burst, not one per reader.
    assert [record.getMessage() for record in caplog.records] == [
        "1 view(s) not counted: OSError: [Errno 28] No space left on device"
    ]
    assert counting._uncounted["views"] == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_flushes_of_the_same_articles_at_once_neither_deadlock_nor_lose_a_view():
    """Each worker's batch lists the articles in the order its readers came."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: no two flushes interleave")
    day = datetime.date(2026, 11, 1)
    ids = [make_article(title=f"Broadside {n}").pk for n in range(40)]
    failures: list[str] = []

    def flush(order: list[int]) -> None:
        try:
            for _ in range(15):
                try:
                    with transaction.atomic():
                        upsert_views([(pk, day, 1) for pk in order])
                except DatabaseError as error:
                    failures.append(str(error).splitlines()[0])
        finally:
            connection.close()

    workers = [
        threading.Thread(target=flush, args=(order,)) for order in (ids, ids[::-1])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    assert {view_count(pk) for pk in ids} == {30}
