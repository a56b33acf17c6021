"""Views spooled to files (no Redis) reach the database exactly once."""

import os

import pytest

from broadsheet.readership import counting, spool
from broadsheet.readership.counting import flush_views, record_view, view_count
from broadsheet.readership.models import FlushedBatch
from tests.factories import make_article
from tests.readership.readers import record_views_from_threads

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def spooled(settings, monkeypatch):
    settings.BROADSHEET_VIEW_FLUSH_SECONDS = 60
    monkeypatch.setattr(counting, "_ensure_flusher", lambda: None)  # flush by hand


def stored(article) -> int:
    return sum(row.count for row in article.daily_views.all())


def test_spooled_views_from_many_threads_flush_to_an_exact_total():
    article = make_article()

    record_views_from_threads(article.pk, threads=8, each=50)
    # The shown count is the durable one: it catches up at the next flush.
    assert stored(article) == 0 and view_count(article) == 0
    assert flush_views() == 400
    assert stored(article) == 400 and view_count(article) == 400
    assert flush_views() == 0 and not list(spool.directory().glob("*.log"))


def test_files_of_a_dead_process_are_adopted_and_counted_once(settings):
    article = make_article()
    orphan = spool.directory() / "active-999999999-deadbeef.log"
    spool.directory().mkdir(parents=True, exist_ok=True)
    orphan.write_text(f"{article.pk} 2026-11-01 3\n{article.pk} 2026-11-01 1\n")
    assert flush_views() == 4 and not orphan.exists()
    assert stored(article) == 4 and view_count(article) == 4


def test_a_batch_whose_commit_landed_is_not_counted_again():
    article = make_article()
    record_view(article.pk, count=5)
    flush_views()
    name = FlushedBatch.objects.get().name.removeprefix("spool-")
    leftover = spool.directory() / f"batch-{name}.log"  # died before deleting it
    leftover.write_text(f"{article.pk} 2026-11-01 5\n")
    assert view_count(article) == 5
    assert flush_views() == 0 and stored(article) == 5


def test_a_line_cut_short_by_a_crash_is_ignored():
    article = make_article()
    spool.directory().mkdir(parents=True, exist_ok=True)
    path = spool.directory() / f"batch-{os.getpid()}-cut.log"
    path.write_text(f"{article.pk} 2026-11-01 2\n{article.pk} 2026-1")
    assert flush_views() == 2


def test_repeated_lines_add_up_per_article_and_day():
    first, second = make_article(), make_article()
    spool.directory().mkdir(parents=True, exist_ok=True)
    lines = (
        [f"{first.pk} 2026-11-01 1"] * 300
        + [f"{first.pk} 2026-11-02 1"] * 20
        + [f"{first.pk} 2026-11-01 4"] * 2
        + [f"{second.pk} 2026-11-01 1"] * 7
    )
    path = spool.directory() / f"batch-{os.getpid()}-busy.log"
    path.write_text("\n".join(lines) + "\n")

    assert flush_views() == 335
    by_day = {
        (row.article_id, row.day.isoformat()): row.count
        for row in first.daily_views.all() | second.daily_views.all()
    }
    assert by_day == {
        (first.pk, "2026-11-01"): 308,
        (first.pk, "2026-11-02"): 20,
        (second.pk, "2026-11-01"): 7,
    }


def test_a_line_a_full_disk_cut_short_ends_its_file_so_the_next_is_whole(monkeypatch):
    article = make_article()
    record_view(article.pk)
    real_write = os.write
    # A full disk takes the first bytes of a line and no more.
    monkeypatch.setattr(spool.os, "write", lambda fd, data: real_write(fd, data[:4]))
    with pytest.raises(OSError, match="cut short"):
        record_view(article.pk)
    monkeypatch.setattr(spool.os, "write", real_write)
    record_view(article.pk)
    record_view(article.pk)

    assert len(list(spool.directory().glob("batch-*.log"))) == 1
    assert flush_views() == 3 and stored(article) == 3
