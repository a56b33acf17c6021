"""Public pages rendered by their view alone (serving.direct) answer exactly as Django
would, with the page cache on or off; everything else still goes through Django."""

import datetime

import brotli
import pytest

from broadsheet.content.models import Article, SiteSettings
from broadsheet.pagecache import store
from broadsheet.readership.counting import flush_views, view_count
from broadsheet.serving import direct
from broadsheet.serving.hotpath import with_page_cache
from broadsheet.wsgi import django_application
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_page,
    make_tag,
)
from tests.serving.wsgi import FIREFOX, call

ONE_DAY = datetime.timedelta(days=1)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.BROADSHEET_PAGE_CACHE = False  # every request renders
    settings.BROADSHEET_VIEW_FLUSH_SECONDS = 0  # views straight to the database
    SiteSettings.load()


@pytest.fixture
def app():
    return with_page_cache(django_application)


def paths_of_a_small_site() -> list[str]:
    author = make_author(name="Ada Quill", slug="ada-quill")
    tag, category = make_tag(slug="ink"), make_category(slug="press")
    article = make_article(
        slug="long-note",
        authors=[author],
        tags=[tag],
        categories=[category],
        body="Text with a note.[^1]\n\n[^1]: The note.",
    )
    make_page(slug="about", title="About")
    day = article.published_at
    return [
        "/",
        "/articles/long-note/",
        "/articles/long-note/cite.bib",
        "/articles/long-note/works-cited.json",
        "/authors/ada-quill/",
        "/tags/ink/",
        "/categories/press/",
        f"/archive/{day.year}/{day.month}/",
        "/about/",
        "/feed/",
        "/feed/atom/",
    ]


def test_direct_pages_match_djangos_own_answer_byte_for_byte(app):
    for path in paths_of_a_small_site():
        status, headers, body = call(app, path, user_agent="bot")
        django_status, django_headers, django_body = call(
            django_application, path, user_agent="bot"
        )
        assert dict(headers).pop("X-Broadsheet-Cache") == "miss", path
        assert (status, body) == (django_status, django_body), path
        assert sorted(h for h in headers if h[0] != "X-Broadsheet-Cache") == sorted(
            django_headers
        ), path


def test_other_requests_get_djangos_answer(app):
    make_article(slug="kept")
    for path in ["/articles/missing/", "/sitemap.xml", "/most-read/"]:
        status, headers, _ = call(app, path)
        assert "X-Broadsheet-Cache" not in dict(headers), path
        assert status == (404 if "missing" in path else 200), path
    status, headers, body = call(app, "/articles/missing/")
    assert status == 404 and b"<html" in body.lower()  # Django's own 404 page


def test_each_reader_get_is_counted_once_and_heads_and_bots_not_at_all(app):
    article = make_article(slug="counted")
    for _ in range(3):
        call(app, "/articles/counted/", user_agent=FIREFOX)
    call(app, "/articles/counted/", method="HEAD", user_agent=FIREFOX)
    call(app, "/articles/counted/", user_agent="Googlebot/2.1")
    flush_views()
    assert view_count(Article.objects.get(pk=article.pk)) == 3


def test_a_direct_page_revalidates_and_compresses_like_a_hit(app):
    make_article(slug="squeezed")
    path = "/articles/squeezed/"
    # As a robot: a reader's view would change the count the page shows.
    _, headers, body = call(app, path, user_agent="bot")
    etag = dict(headers)["ETag"]
    status, not_modified, empty = call(app, path, user_agent="bot", if_none_match=etag)
    assert (status, empty) == (304, b"")
    assert dict(not_modified)["ETag"] == etag
    _, br_headers, br_body = call(
        app, path, user_agent="bot", accept_encoding="gzip, br"
    )
    assert dict(br_headers)["Content-Encoding"] == "br"
    assert brotli.decompress(br_body) == body
    assert dict(br_headers)["Content-Length"] == str(len(br_body))


def test_a_host_outside_allowed_hosts_is_refused_by_django(app, settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    make_article(slug="hosted")
    status, headers, _ = call(app, "/articles/hosted/")
    assert status == 400 and "X-Broadsheet-Cache" not in dict(headers)


def test_a_worker_warms_up_on_the_home_page_and_newest_article(settings):
    settings.BROADSHEET_PAGE_CACHE = True
    older = make_article(slug="older")
    newest = make_article(slug="newest", published_at=older.published_at + ONE_DAY)
    make_article(slug="draft", status=Article.Status.DRAFT)

    assert direct.warm_up() == ["/", newest.get_absolute_url()]
    assert view_count(newest) == 0  # a robot's GET: not a reader
    assert store.lookup("/", "") is None  # kept nowhere: readers get fresh pages
    assert store.lookup(newest.get_absolute_url(), "") is None


def test_a_failing_warm_up_still_lets_the_worker_start(monkeypatch, caplog):
    def broken_database(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(Article.objects, "live", broken_database)

    assert direct.warm_up() == []
    assert "Warming up this worker failed" in caplog.text
