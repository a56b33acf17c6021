"""Feeds through HTTP: full text, JSON Feed, per author/tag/category, autodiscovery."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from broadsheet.content.models import Article
from tests.factories import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
FOREIGN = {"HTTP_HOST": "attacker.example"}


def test_rss_items_carry_the_whole_article_with_its_notes(client):
    article = make_article(title="Full Text")
    rss = ET.fromstring(client.get("/feed/").content)
    item = rss.find("channel/item")
    assert item.findtext("title") == "Full Text"
    full = item.findtext(CONTENT)
    assert article.body_html in full and 'id="note-1"' in full
    assert html.unescape(item.findtext("description")) == article.summary


def test_atom_entries_carry_the_whole_article_as_html_content(client):
    article = make_article(title="Atom Text")
    atom = ET.fromstring(client.get("/feed/atom/").content)
    content = atom.find(f"{ATOM}entry/{ATOM}content")
    assert content.get("type") == "html"
    assert article.body_html in content.text


@pytest.mark.parametrize(
    ("path", "summary"),
    [
        ("/feed/", "channel/item/description"),
        ("/feed/atom/", f"{ATOM}entry/{ATOM}summary"),
    ],
    ids=["rss", "atom"],
)
def test_markup_typed_in_an_excerpt_reaches_feed_readers_as_words(
    client, path, summary
):
    # Atom's summary is type="html" and RSS readers render descriptions as HTML.
    typed = '<img src=x onerror=alert(1)> Ink & "lead"'
    make_article(excerpt=typed)

    shown = ET.fromstring(client.get(path).content).find(summary).text

    assert BeautifulSoup(shown, "html.parser").find() is None
    assert BeautifulSoup(shown, "html.parser").get_text() == typed


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/tags/inked/feed/atom/"])
def test_a_control_character_typed_anywhere_leaves_the_feeds_readable(client, path):
    # XML 1.0 cannot carry U+0001: Django's writer raised and the feed was a 500.
    tag = make_tag(name="Ink\x01ed", slug="inked")
    make_article(
        title="Bell\x01 metal",
        subtitle="Cast\x02",
        excerpt="Type \x1f metal.",
        body="Lead\x0b and tin.",
        authors=[make_author(name="Ada\x08 Quill")],
        tags=[tag],
    )

    response = client.get(path)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Bell metal" in text and "Type  metal." in text and "Ada Quill" in text
    assert "Inked" in text
    ET.fromstring(response.content)


def test_the_json_feed_is_version_1_1_with_absolute_urls_from_the_site_address(
    client, settings
):
    settings.BROADSHEET_SITE_URL = "https://magazine.example"
    settings.ALLOWED_HOSTS = ["attacker.example"]  # a proxy passing any Host on
    author = make_author(name="Ada Quill")
    article = make_article(title="Json Text", authors=[author])
    response = client.get("/feed.json", **FOREIGN)
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://magazine.example/feed.json"
    (item,) = feed["items"]
    assert item["url"] == f"https://magazine.example{article.get_absolute_url()}"
    assert item["authors"][0]["name"] == "Ada Quill"
    assert article.body_html in item["content_html"]
    assert "attacker.example" not in response.content.decode()


@pytest.mark.parametrize("kind", ["author", "tag", "category"])
def test_a_terms_feed_lists_only_its_live_articles(client, kind):
    author, tag, category = make_author(), make_tag(), make_category()
    term = {"author": author, "tag": tag, "category": category}[kind]
    mine = make_article(
        title="In The Term", authors=[author], tags=[tag], categories=[category]
    )
    make_article(title="Elsewhere")
    make_article(
        title="Unready",
        authors=[author],
        tags=[tag],
        categories=[category],
        status=Article.Status.DRAFT,
    )
    base = {"author": "authors", "tag": "tags", "category": "categories"}[kind]
    rss = ET.fromstring(client.get(f"/{base}/{term.slug}/feed/").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles == [mine.title]
    assert str(term) in rss.findtext("channel/title")
    atom = client.get(f"/{base}/{term.slug}/feed/atom/")
    assert atom.status_code == 200 and b"In The Term" in atom.content


def test_an_unknown_terms_feed_is_not_found(client):
    assert client.get("/tags/no-such-tag/feed/").status_code == 404


def test_pages_name_their_feeds_for_autodiscovery(client):
    tag = make_tag(name="Ink", slug="ink")
    make_article(tags=[tag])
    home = client.get("/").content.decode()
    for kind in (
        "application/atom+xml",
        "application/rss+xml",
        "application/feed+json",
    ):
        assert f'type="{kind}"' in home
    tag_page = client.get("/tags/ink/").content.decode()
    assert 'href="/tags/ink/feed/atom/"' in tag_page
    assert 'href="/tags/ink/feed/"' in tag_page
    assert 'href="/tags/ink/feed/"' not in home
