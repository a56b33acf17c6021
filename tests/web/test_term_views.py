"""The indexes of sections (/categories/) and tags (/tags/): live articles counted."""

import pytest
from bs4 import BeautifulSoup

from broadsheet.content.models import Article
from broadsheet.publishing.services import unpublish_article
from tests.factories import make_article, make_category, make_tag
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

pytestmark = pytest.mark.django_db


def index_of(client, path: str) -> dict[str, tuple[str, str]]:
    """Each listed term's name → (link, count text)."""
    response = client.get(path)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    found = {}
    for link in soup.select("main .tag-index a, main .section-index h2"):
        anchor = link if link.name == "a" else link.a
        count = link.select_one(".count").get_text(" ", strip=True)
        found[anchor.contents[0].strip()] = (anchor["href"], count)
    return found


def test_the_tag_index_counts_live_articles_only(client):
    ink, paper, unused = make_tag(name="Ink"), make_tag(name="Paper"), make_tag()
    make_article(tags=[ink, paper])
    make_article(tags=[ink])
    make_article(tags=[ink], status="draft")
    make_article(tags=[paper], status="withdrawn")
    make_article(tags=[unused], status="draft")
    assert index_of(client, "/tags/") == {
        "Ink": (ink.get_absolute_url(), "2 articles"),
        "Paper": (paper.get_absolute_url(), "1 article"),
    }


def test_the_section_index_lists_descriptions_and_live_counts(client):
    bread = make_category(name="Bread", description="Ovens and grain.")
    drafts_only = make_category(name="Soon")
    make_article(categories=[bread])
    make_article(categories=[drafts_only], status="draft")
    response = client.get("/categories/")
    assert index_of(client, "/categories/") == {
        "Bread": (bread.get_absolute_url(), "1 article")
    }
    assert b"Ovens and grain." in response.content
    assert b"Soon" not in response.content


def test_the_indexes_say_so_when_nothing_is_published(client):
    assert b"No tag has a published article yet." in client.get("/tags/").content
    assert b"No section has" in client.get("/categories/").content


@pytest.mark.django_db(transaction=True)
def test_withdrawing_and_tagging_change_the_cached_tag_index_at_once():
    ink = make_tag(name="Ink")
    article = make_article(tags=[ink])
    warm("/tags/", "/categories/")
    unpublish_article(Article.objects.get(pk=article.pk))
    assert not is_hit("/tags/")
    assert b"Ink" not in request("/tags/")[2].split(b"<main")[1].split(b"</main>")[0]
    warm("/tags/")
    other = make_article()
    fresh = make_tag(name="Fresh tag")
    other.tags.add(fresh)  # outside save_article, as the shell or an importer does
    assert not is_hit("/tags/")
    assert b"Fresh tag" in request("/tags/")[2]
    warm("/tags/")
    fresh.name = "Renamed tag"
    fresh.save()
    assert b"Renamed tag" in request("/tags/")[2]
