"""The image credits page: each image live articles show, its credit, its articles."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.publishing.services import save_article
from tests.factories import make_article, make_image
from tests.serving.wsgi import (  # site_settings_exist: autouse fixture
    is_hit,
    request,
    site_settings_exist,  # noqa: F401
    warm,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def credits(client) -> list[tuple[str, str, list[str]]]:
    response = client.get("/image-credits/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (
            item.select_one(".credit-alt").get_text(strip=True),
            item.select_one(".credit-line").get_text(strip=True),
            [a.get_text(strip=True) for a in item.select(".credit-articles a")],
        )
        for item in soup.select(".image-credit")
    ]


def test_credits_list_images_in_bodies_and_featured_images_of_live_articles(client):
    in_body = make_image(alt="A bookbinder's press", credit="Photo: the bindery")
    featured = make_image(alt="Marbled endpapers", credit="Scan: the library")
    unused = make_image(alt="An unused picture", credit="Nobody")
    make_article(title="Binding", body=f"Sewn.\n\n![](media:{in_body.pk})\n")
    make_article(title="Endpapers", featured_image=featured)
    make_article(
        title="Both", featured_image=in_body, body=f"![x](media:{featured.pk})"
    )
    assert credits(client) == [
        ("A bookbinder's press", "Photo: the bindery", ["Both", "Binding"]),
        ("Marbled endpapers", "Scan: the library", ["Endpapers", "Both"]),
    ]
    assert unused.alt not in client.get("/image-credits/").content.decode()


def test_images_only_in_drafts_or_scheduled_articles_are_not_credited(client):
    image = make_image(alt="A sewing frame", credit="Photo: the bindery")
    make_article(featured_image=image, status=Article.Status.DRAFT)
    make_article(
        featured_image=image,
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    assert credits(client) == []


def test_the_credits_page_follows_an_edit_that_adds_an_image(client):
    article = make_article(title="Gilding", body="Gold leaf is thin.")
    assert credits(client) == []
    image = make_image(alt="Gold leaf on a cushion", credit="")
    article.body = f"Gold leaf is thin.\n\n![](media:{image.pk})\n"
    save_article(article)
    assert credits(client) == [
        ("Gold leaf on a cushion", "No credit given", ["Gilding"])
    ]


def test_every_page_links_to_the_credits_page_in_its_footer(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".site-footer a[href='/image-credits/']")


@pytest.mark.django_db(transaction=True)
def test_the_cached_credits_page_is_retired_by_an_edit_that_adds_an_image():
    article = make_article(title="Gilding", body="Gold leaf is thin.")
    image = make_image(alt="Gold leaf on a cushion", credit="Photo: the bindery")
    warm("/image-credits/")
    article.body = f"Gold leaf is thin.\n\n![](media:{image.pk})\n"
    save_article(article)
    assert b"Gold leaf on a cushion" in request("/image-credits/")[2]


@pytest.mark.django_db(transaction=True)
def test_the_cached_credits_page_is_retired_by_a_new_featured_image():
    image = make_image(alt="A paring knife", credit="Photo: the bindery")
    article = make_article(title="Paring leather")
    make_article(title="Unrelated")
    warm("/image-credits/", article.get_absolute_url())
    article.featured_image = image
    save_article(article)
    assert b"A paring knife" in request("/image-credits/")[2]


@pytest.mark.django_db(transaction=True)
def test_an_edit_leaving_the_images_alone_keeps_the_credits_page_cached():
    image = make_image(alt="A bone folder", credit="")
    make_article(title="Folding", featured_image=image)
    other = make_article(title="Sewing", body="Thread and needle.")
    warm("/image-credits/")
    other.subtitle = "Kettle stitches"
    other.body = "Thread, needle and beeswax."
    save_article(other)
    assert is_hit("/image-credits/")
