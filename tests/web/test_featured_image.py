"""An article's featured image: social cards from the site address, the page's top,
the cards in lists."""

import json

import pytest
from bs4 import BeautifulSoup

from broadsheet.publishing.services import save_article
from tests.factories import make_article, make_image, make_tag

pytestmark = pytest.mark.django_db
SITE = "https://magazine.example.org"
FOREIGN_HOST = "mirror.example.net"


@pytest.fixture(autouse=True)
def _site_on_its_own_address(settings, tmp_path):
    settings.BROADSHEET_SITE_URL = SITE
    settings.ALLOWED_HOSTS = [FOREIGN_HOST, "testserver"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def image():
    return make_image(
        alt="Sheets drying on a line", credit="Photo: the paper mill", size=(2400, 1600)
    )


def page_of(client, article) -> BeautifulSoup:
    response = client.get(article.get_absolute_url(), HTTP_HOST=FOREIGN_HOST)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(soup: BeautifulSoup, key: str) -> str:
    tag = soup.find("meta", attrs={"property": key}) or soup.find(
        "meta", attrs={"name": key}
    )
    return tag["content"]


def test_social_cards_use_the_largest_rendition_on_the_site_address(client, image):
    article = make_article(featured_image=image)
    soup = page_of(client, article)
    expected = SITE + image.largest_url
    assert image.largest["width"] == 1600
    assert meta(soup, "og:image") == expected
    assert meta(soup, "og:image:width") == "1600"
    assert meta(soup, "og:image:alt") == "Sheets drying on a line"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == expected
    assert FOREIGN_HOST not in str(soup.head)
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["image"]["url"] == expected
    assert data["image"]["creditText"] == "Photo: the paper mill"


def test_an_article_without_a_featured_image_keeps_the_small_card(client):
    soup = page_of(client, make_article())
    assert meta(soup, "twitter:card") == "summary"
    assert soup.find("meta", attrs={"property": "og:image"}) is None
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert "image" not in data


def test_the_featured_image_heads_the_article_with_srcset_and_credit(client, image):
    soup = page_of(client, make_article(featured_image=image))
    figure = soup.select_one(".article-header .featured-image")
    img = figure.img
    assert img["src"] == image.largest_url and img["alt"] == "Sheets drying on a line"
    assert [c.split()[1] for c in img["srcset"].split(", ")] == [
        "480w",
        "960w",
        "1600w",
    ]
    assert (img["width"], img["height"]) == ("1600", "1067")
    assert figure.figcaption.get_text(strip=True) == "Photo: the paper mill"


def test_changing_the_featured_image_changes_the_stored_page(client, image):
    article = make_article(featured_image=image)
    page_of(client, article)  # fragments rendered and stored
    other = make_image(alt="A mould and deckle", size=(800, 600))
    article.featured_image = other
    save_article(article)
    soup = page_of(client, article)
    assert meta(soup, "og:image") == SITE + other.largest_url
    assert soup.select_one(".featured-image img")["alt"] == "A mould and deckle"


def test_cards_in_lists_show_the_featured_thumbnail(client, image):
    tag = make_tag()
    make_article(title="Making paper by hand", featured_image=image, tags=[tag])
    soup = BeautifulSoup(client.get(tag.get_absolute_url()).content, "html.parser")
    thumb = soup.select_one(".card .card-image")
    assert thumb["src"] == image.thumbnail_url
    assert thumb["alt"] == "Sheets drying on a line"
    assert thumb["loading"] == "lazy"


def test_the_lead_storys_image_is_fetched_first_at_the_fronts_width(client, image):
    make_article(title="Making paper by hand", featured_image=image)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    lead = soup.select_one(".front-lead .card-lead .card-image")
    assert lead["alt"] == "Sheets drying on a line"
    assert lead["fetchpriority"] == "high" and not lead.has_attr("loading")
    assert lead["sizes"].startswith("(min-width: 64em) 42rem")


def test_an_image_in_the_body_reaches_the_page_as_a_figure(client, image):
    article = make_article(
        body=f"Pulp is lifted on a screen.\n\n![](media:{image.pk})\n"
    )
    figure = page_of(client, article).select_one(".article-body figure.media-figure")
    assert figure.img["srcset"] == image.srcset
    assert figure.img["loading"] == "lazy" and figure.img["decoding"] == "async"
    assert figure.figcaption.get_text(strip=True) == "Photo: the paper mill"
