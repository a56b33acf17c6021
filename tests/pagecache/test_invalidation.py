"""Exact invalidation: a change retires the cached pages that show it, no others."""

import pytest
from django.utils import timezone

from broadsheet.content.models import SiteSettings
from broadsheet.pagecache import store
from broadsheet.publishing.feeds import FEED_LENGTH
from broadsheet.publishing.services import publish_article, save_article
from broadsheet.serving.hotpath import with_page_cache
from broadsheet.wsgi import django_application
from tests.factories import DISTINCT_BODIES, make_article, make_author, make_tag
from tests.pagecache.full_disk import FullDiskCache
from tests.serving.wsgi import (
    call,
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_publishing_invalidates_home_tag_and_related_lists_and_nothing_else():
    ink, paper = make_tag(name="Ink"), make_tag(name="Paper")
    sibling = make_article(tags=[ink])
    unrelated = make_article(title="Comets", tags=[paper], body=DISTINCT_BODIES[0])
    paths = [
        "/",
        ink.get_absolute_url(),
        sibling.get_absolute_url(),
        paper.get_absolute_url(),
        unrelated.get_absolute_url(),
    ]
    warm(*paths)
    new = make_article(title="Fresh Ink", tags=[ink], status="draft")
    assert all(is_hit(p) for p in paths)  # a draft changes nothing readers see
    publish_article(new)
    assert b"Fresh Ink" in request("/")[2]
    assert b"Fresh Ink" in request(ink.get_absolute_url())[2]
    assert b"Fresh Ink" in request(sibling.get_absolute_url())[2]  # related reading
    assert is_hit(paper.get_absolute_url()) and is_hit(unrelated.get_absolute_url())


@pytest.mark.parametrize("from_the_tag", [False, True])
def test_tagging_outside_save_article_invalidates_lists_and_related(from_the_tag):
    """The demo loader and the shell link tags directly (m2m), not via the service."""
    ink, paper = make_tag(name="Ink"), make_tag(name="Paper")
    sibling = make_article(tags=[ink])
    make_article(tags=[paper])  # so the paper tag has a page to keep cached
    loner, draft = make_article(title="Loner Piece"), make_article(status="draft")
    warm(ink.get_absolute_url(), sibling.get_absolute_url(), paper.get_absolute_url())
    draft.tags.add(ink)
    assert is_hit(ink.get_absolute_url()) and is_hit(sibling.get_absolute_url())
    if from_the_tag:
        ink.articles.add(loner)
    else:
        loner.tags.add(ink)
    assert b"Loner Piece" in request(ink.get_absolute_url())[2]
    assert b"Loner Piece" in request(sibling.get_absolute_url())[2]  # related
    assert is_hit(paper.get_absolute_url())


@pytest.mark.parametrize("from_the_tag", [False, True])
def test_clearing_tags_outside_save_article_invalidates_the_article_and_list(
    from_the_tag,
):
    ink = make_tag(name="Ink")
    article = make_article(title="Cleared Piece", tags=[ink])
    warm(ink.get_absolute_url(), article.get_absolute_url())
    if from_the_tag:
        ink.articles.clear()
    else:
        article.tags.clear()
    assert b"Cleared Piece" not in request(ink.get_absolute_url())[2]
    assert not is_hit(article.get_absolute_url())


def test_editing_an_article_invalidates_the_pages_showing_it():
    ink, paper = make_tag(), make_tag()
    article = make_article(tags=[ink])
    unrelated = make_article(title="Comets", tags=[paper], body=DISTINCT_BODIES[0])
    warm("/", article.get_absolute_url(), paper.get_absolute_url())
    warm(unrelated.get_absolute_url())
    article.title = "Retitled"
    save_article(article)
    assert b"Retitled" in request(article.get_absolute_url())[2]
    assert b"Retitled" in request("/")[2]
    assert is_hit(paper.get_absolute_url()) and is_hit(unrelated.get_absolute_url())


def test_withdrawing_an_article_removes_it_from_cached_pages():
    article = make_article(title="Going Away")
    warm("/", article.get_absolute_url())
    article.status = "draft"
    save_article(article)
    assert request(article.get_absolute_url())[0] == 404
    assert b"Going Away" not in request("/")[2]


def test_renaming_an_author_invalidates_bylines_but_not_other_pages():
    author = make_author(name="Ada Quill")
    mine = make_article(authors=[author])
    other = make_article(
        published_at=timezone.now() - timezone.timedelta(days=900),
        title="Comets",
        body=DISTINCT_BODIES[0],
    )
    warm(mine.get_absolute_url(), other.get_absolute_url(), "/")
    author.name = "Ada Quill-Moreau"
    author.save()
    assert b"Ada Quill-Moreau" in request(mine.get_absolute_url())[2]
    assert b"Ada Quill-Moreau" in request("/")[2]
    assert is_hit(other.get_absolute_url())


def test_changing_site_settings_invalidates_every_page():
    article = make_article()
    warm("/", article.get_absolute_url())
    settings_row = SiteSettings.load()
    settings_row.site_name = "The New Name"
    settings_row.save()
    assert b"The New Name" in request("/")[2]
    assert b"The New Name" in request(article.get_absolute_url())[2]


def test_page_cache_can_be_switched_off(settings):
    settings.BROADSHEET_PAGE_CACHE = False
    make_article()
    request("/")
    assert not is_hit("/")


def test_a_server_with_the_cache_off_ignores_pages_others_cached(settings):
    article = make_article()
    path = article.get_absolute_url()
    request(path)
    assert is_hit(path)  # stored in the cache every process shares
    settings.BROADSHEET_PAGE_CACHE = False
    _, headers, body = call(with_page_cache(django_application), path)
    assert dict(headers)["X-Broadsheet-Cache"] == "miss"  # rendered again
    assert article.title.encode() in body


def test_feeds_are_cached_until_an_article_they_list_changes():
    listed = make_article(title="In The Feed")
    warm("/feed/", "/feed/atom/")
    listed.title = "Retitled In The Feed"
    save_article(listed)
    assert not is_hit("/feed/") and not is_hit("/feed/atom/")
    assert b"Retitled In The Feed" in request("/feed/atom/")[2]
    warm("/feed/")
    publish_article(make_article(status="draft", title="Brand New"))
    assert b"Brand New" in request("/feed/")[2]


def test_editing_an_article_the_feeds_do_not_list_keeps_them_cached():
    oldest = make_article(published_at=timezone.now() - timezone.timedelta(days=400))
    for _ in range(FEED_LENGTH):  # newer whatever the factory's running count
        make_article(published_at=timezone.now() - timezone.timedelta(days=1))
    warm("/feed/", "/feed/atom/")
    oldest.title = "Quietly Retitled"
    save_article(oldest)
    assert is_hit("/feed/") and is_hit("/feed/atom/")
    assert b"Quietly Retitled" not in request("/feed/")[2]


def test_an_invalidation_the_cache_cannot_write_forgets_every_page(monkeypatch):
    edited = make_article(title="Chases and Quoins")
    other = make_article(title="Comets", body=DISTINCT_BODIES[0])
    warm("/", edited.get_absolute_url(), other.get_absolute_url())
    monkeypatch.setattr(store, "cache", FullDiskCache(store.cache, "set_many"))
    edited.title = "Chases, Quoins and Furniture"
    save_article(edited)
    monkeypatch.undo()

    # Not one page kept its old versions: each is rendered again.
    assert not is_hit(other.get_absolute_url())
    for path in ("/", edited.get_absolute_url()):
        status, headers, body = request(path, user_agent="bot")
        assert headers["x-broadsheet-cache"] == "miss", path
        assert b"Chases, Quoins and Furniture" in body, path
