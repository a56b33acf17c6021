"""View counting: bot detection, atomic per-day totals, most-read ordering."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.readership.counting import is_bot, most_read, record_view, view_count
from tests.factories import make_article


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
