"""What the page cache keeps: keyed by path and the query parameters a page reads;
session cookies neither bypass it nor get stored."""

import pytest
from django.contrib.auth import get_user_model

from broadsheet.pagecache import store
from broadsheet.publishing.sitemaps import section_name
from broadsheet.publishing.surfaces import ARTICLES_PER_BLOCK
from tests.factories import make_article
from tests.pagecache.full_disk import FullDiskCache
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_made_up_query_strings_get_the_cached_page_and_store_nothing(settings):
    article = make_article()
    path = article.get_absolute_url()
    warm("/", path)
    for query in ["r=1", "r=2&utm_source=x", "page=3", "p=9", "=&&%zz"]:
        for url in ("/", path):
            status, headers, _ = request(f"{url}?{query}", user_agent="bot")
            assert (status, headers["x-broadsheet-cache"]) == (200, "hit"), (url, query)
            assert store.lookup(url, query) is None  # no entry of its own


def test_a_page_never_cached_is_stored_once_whatever_query_it_first_came_with():
    make_article()
    request("/?r=first", user_agent="bot")
    assert store.lookup("/", "") is not None and store.lookup("/", "r=first") is None
    assert is_hit("/") and is_hit("/?r=second")


def test_a_sitemap_section_keeps_its_page_parameter_in_the_cache_key():
    # Ids are not reset between tests on PostgreSQL: the section is the article's.
    article = make_article()
    section = f"/sitemaps/{section_name(article.pk // ARTICLES_PER_BLOCK)}.xml"
    warm(section)
    assert is_hit(section + "?utm_source=x")
    status, headers, _ = request(section + "?p=2", user_agent="bot")
    assert status == 404 and "x-broadsheet-cache" not in headers  # Django's answer


def test_a_made_up_session_cookie_gets_the_cached_page():
    make_article()
    warm("/")
    _, headers, body = request("/", user_agent="bot", cookie="sessionid=made-up")
    assert headers["x-broadsheet-cache"] == "hit"
    assert body == request("/", user_agent="bot")[2]


def test_a_logged_in_editor_still_reaches_the_back_office_uncached(client):
    editor = get_user_model().objects.create_user(
        "editor", password="a long passphrase", is_staff=True, is_superuser=True
    )
    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"
    draft = make_article(title="Unpublished Draft", status="draft")
    make_article(title="Public Piece")
    warm("/")
    for path in ["/admin/", f"/preview/{draft.pk}/", f"/preview/{draft.pk}/"]:
        status, headers, body = request(path, cookie=session)
        assert status == 200 and "x-broadsheet-cache" not in headers, path
    assert b"Unpublished Draft" in body and "no-store" in headers["cache-control"]
    assert request(f"/preview/{draft.pk}/")[0] == 302  # the login it needs
    # Public pages show editors what they show readers, kept in the cache.
    _, headers, body = request("/", user_agent="bot", cookie=session)
    assert headers["x-broadsheet-cache"] == "hit" and b"Public Piece" in body


def test_a_page_the_cache_cannot_keep_is_sent_all_the_same(monkeypatch):
    article = make_article(title="Setting Type by Hand")
    monkeypatch.setattr(store, "cache", FullDiskCache(store.cache, "set"))
    # The hot path's own rendering, then Django's (the archive is not a direct page).
    for path, text in ((article.get_absolute_url(), "Setting Type by Hand"),
                       ("/archive/", "Archive")):  # fmt: skip
        status, _, body = request(path, user_agent="bot")
        assert status == 200 and text.encode() in body, path
        assert store.lookup(path, "") is None
