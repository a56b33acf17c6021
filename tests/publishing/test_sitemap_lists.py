"""The sitemap's section of list pages: which lists, dated by their articles."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.models import Article, Tag
from broadsheet.content.services import store_citations
from broadsheet.publishing.services import save_article
from broadsheet.sources.models import Work
from tests.factories import make_article, make_author, make_category, make_tag
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

pytestmark = pytest.mark.django_db

SECTION = "/sitemaps/lists.xml"
ENTRY = re.compile(r"<url><loc>https?://[^/]+(/[^<]*)</loc><lastmod>([^<]+)</lastmod>")


def entries(client) -> dict[str, str]:
    response = client.get(SECTION)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return dict(ENTRY.findall(response.content.decode()))


def at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def set_updated(article: Article, when: datetime.datetime) -> None:
    Article.objects.filter(pk=article.pk).update(updated_at=when)


@pytest.fixture
def site():
    ink, paper = make_tag(name="Ink", slug="ink"), make_tag(name="Paper", slug="paper")
    unused = make_tag(name="Unused", slug="unused")
    essays = make_category(name="Essays", slug="essays")
    ada, bo = make_author(slug="ada"), make_author(slug="bo")
    Work.objects.create(key="marlow1998", csl={"type": "book", "title": "Press"})
    old = make_article(
        slug="old",
        authors=[ada],
        tags=[ink],
        categories=[essays],
        published_at=datetime.datetime(2024, 3, 5, tzinfo=datetime.UTC),
        body="Presses spread [@marlow1998, p. 4].",
    )
    store_citations(old)
    new = make_article(
        slug="new",
        authors=[ada, bo],
        tags=[ink, paper],
        published_at=datetime.datetime(2024, 5, 9, tzinfo=datetime.UTC),
    )
    draft = make_article(
        slug="draft", status=Article.Status.DRAFT, authors=[make_author(slug="cy")]
    )
    draft.tags.set([unused])
    set_updated(old, datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    set_updated(new, datetime.datetime(2024, 7, 2, tzinfo=datetime.UTC))
    return {"old": old, "new": new, "draft": draft}


def test_the_index_lists_the_section_of_list_pages(client, site):
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemaps/lists.xml</loc><lastmod>2024-07-02" in index


def test_every_list_with_a_live_article_is_dated_by_its_newest_change(client, site):
    dates = entries(client)
    assert dates == {
        "/": "2024-07-02",
        "/most-read/": "2024-07-02",
        "/authors/": "2024-07-02",
        "/archive/": "2024-07-02",
        "/archive/2024/3/": "2024-06-01",
        "/archive/2024/5/": "2024-07-02",
        "/authors/ada/": "2024-07-02",
        "/authors/bo/": "2024-07-02",
        "/categories/essays/": "2024-06-01",
        "/tags/ink/": "2024-07-02",
        "/tags/paper/": "2024-07-02",
        "/sources/": "2024-06-01",
        "/sources/marlow1998/": "2024-06-01",
    } | {path: "2024-07-02" for path in ["/tags/", "/categories/"] if path in dates}
    # Drafts' authors and tags are nowhere: their pages list nothing.
    assert "/authors/cy/" not in dates and "/tags/unused/" not in dates


def test_every_listed_page_answers(client, site):
    for path in entries(client):
        assert client.get(path).status_code == 200, path


def test_the_section_costs_the_same_queries_however_many_terms(client, site):
    with CaptureQueriesContext(connection) as few:
        entries(client)
    for _ in range(5):
        make_article(tags=[make_tag()], categories=[make_category()])
    with CaptureQueriesContext(connection) as many:
        assert len(entries(client)) > 13 + 10
    assert len(many) == len(few)


def test_an_empty_site_lists_no_list_page(client):
    assert entries(client) == {}


@pytest.mark.django_db(transaction=True)
def test_an_edit_or_a_publish_retires_the_cached_section(site):
    """Through the production WSGI application and its page cache."""
    warm(SECTION)
    new = site["new"]
    new.title = "Edited"
    save_article(new)  # an edit: its authors' and tags' pages change date
    assert not is_hit(SECTION)
    today = timezone.localdate().isoformat()
    body = request(SECTION)[2].decode()
    assert f"/authors/bo/</loc><lastmod>{today}" in body
    warm(SECTION)
    make_article(slug="later", tags=[make_tag(slug="fresh")])
    assert not is_hit(SECTION)
    assert "/tags/fresh/" in request(SECTION)[2].decode()
    warm(SECTION)
    Tag.objects.filter(slug="fresh").get().save()  # a term's own change
    assert not is_hit(SECTION)
