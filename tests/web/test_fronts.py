"""The home page and section pages as fronts: lead story, secondary stories, cards."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.publishing.services import save_article, unpublish_article
from tests.factories import make_article, make_category, make_image, make_tag
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def lead_title(soup: BeautifulSoup) -> str:
    return soup.select_one(".front-lead .card-lead .card-title").get_text()


def titles(soup: BeautifulSoup) -> list[str]:
    return [h.get_text() for h in soup.select(".card-title")]


def test_the_newest_article_leads_the_home_page_when_none_is_pinned(client):
    make_article(title="Older", published_at=days_ago(3))
    make_article(title="Newest", published_at=days_ago(1))
    soup = soup_of(client.get("/"))
    assert lead_title(soup) == "Newest"
    assert soup.select_one(".front-lead h2.card-title")  # under the page's h1
    assert titles(soup) == ["Newest", "Older"]


def test_the_newest_live_sticky_article_leads_the_home_page(client):
    make_article(title="Old pinned", published_at=days_ago(30), sticky=True)
    make_article(title="Newer pinned", published_at=days_ago(20), sticky=True)
    make_article(title="Pinned draft", status="draft", sticky=True)
    make_article(title="Fresh", published_at=days_ago(1))
    soup = soup_of(client.get("/"))
    assert lead_title(soup) == "Newer pinned"
    assert titles(soup) == ["Newer pinned", "Fresh", "Old pinned"]


def test_the_first_page_has_a_lead_secondary_stories_and_the_rest(client, settings):
    settings.BROADSHEET_PAGE_SIZE = 8
    for n in range(8):
        make_article(title=f"Story {n}", published_at=days_ago(n + 1))
    soup = soup_of(client.get("/"))
    assert len(soup.select(".front-lead .card")) == 1
    assert len(soup.select(".front-secondary .card-secondary")) == 4
    rest = soup.select(".front-more .card")
    assert [card.h3.get_text() for card in rest] == ["Story 5", "Story 6", "Story 7"]
    assert soup.select_one(".front-more h2").get_text() == "More articles"


def test_a_pinned_story_moves_to_the_front_and_is_not_repeated_on_later_pages(
    client, settings
):
    settings.BROADSHEET_PAGE_SIZE = 2
    for n in range(4):
        make_article(title=f"Story {n}", published_at=days_ago(n + 1))
    make_article(title="Pinned", published_at=days_ago(10), sticky=True)
    pages = [
        titles(soup_of(client.get(path))) for path in ["/", "/page/2/", "/page/3/"]
    ]
    assert pages == [["Pinned", "Story 0"], ["Story 1", "Story 2"], ["Story 3"]]
    later = soup_of(client.get("/page/2/"))
    assert not later.select(".front-lead")  # later pages are plain lists
    assert client.get("/page/4/").status_code == 404


def test_cards_name_their_sections_and_reading_time_with_the_image_alt(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    printing = make_category(name="Print & Type", slug="print-and-type")
    image = make_image(alt="A compositor's case of type", size=(1200, 800))
    make_article(
        title="Cases", categories=[printing], featured_image=image, body="word " * 900
    )
    card = soup_of(client.get("/")).select_one(".card")
    kicker = card.select_one(".card-kicker")
    assert kicker.a.get_text() == "Print & Type"
    assert kicker.a["href"] == "/categories/print-and-type/"
    assert card.select_one(".reading-time").get_text() == "4 min read"
    assert card.select_one("img.card-image")["alt"] == "A compositor's case of type"


def test_a_section_page_is_a_front_with_its_description_and_own_lead(client):
    bread = make_category(name="Bread", description="Ovens, grain and patience.")
    make_article(title="Rye", categories=[bread], published_at=days_ago(5), sticky=True)
    make_article(title="Crust", categories=[bread], published_at=days_ago(1))
    make_article(title="Elsewhere", published_at=days_ago(2), sticky=True)
    soup = soup_of(client.get(bread.get_absolute_url()))
    assert soup.h1.get_text(" ", strip=True) == "Section Bread"
    assert soup.select_one(".list-description").get_text() == (
        "Ovens, grain and patience."
    )
    assert lead_title(soup) == "Rye"
    assert titles(soup) == ["Rye", "Crust"]


def test_tag_pages_stay_plain_lists(client):
    tag = make_tag()
    make_article(tags=[tag])
    soup = soup_of(client.get(tag.get_absolute_url()))
    assert not soup.select(".front-lead")
    assert len(soup.select(".card")) == 1


def test_every_page_has_the_footer_with_browsing_and_feed_links(client):
    article = make_article()
    for path in ["/", article.get_absolute_url(), "/tags/", "/sources/", "/search/"]:
        footer = soup_of(client.get(path)).select_one("footer.site-footer")
        hrefs = {a["href"] for a in footer.select("a")}
        assert {"/categories/", "/tags/", "/sources/", "/search/"} <= hrefs, path
        assert {"/feed/atom/", "/feed/", "/feed.json"} <= hrefs, path
        assert footer.select_one(".footer-legal").get_text(strip=True)


def test_the_header_links_sections_and_sources(client):
    nav = soup_of(client.get("/")).select_one(".site-header nav")
    hrefs = [a["href"] for a in nav.select("a")]
    assert "/categories/" in hrefs and "/sources/" in hrefs


@pytest.mark.django_db(transaction=True)
def test_withdrawing_the_lead_changes_the_cached_home_page_at_once():
    make_article(title="Second", published_at=days_ago(2))
    lead = make_article(title="Pinned lead", published_at=days_ago(9), sticky=True)
    warm("/")
    assert b"Pinned lead" in request("/")[2]
    unpublish_article(Article.objects.get(pk=lead.pk))
    assert not is_hit("/")
    soup = BeautifulSoup(request("/")[2], "html.parser")
    assert lead_title(soup) == "Second"


@pytest.mark.django_db(transaction=True)
def test_pinning_an_old_story_changes_the_cached_home_and_section_fronts():
    section = make_category()
    old = make_article(
        title="Old story", published_at=days_ago(40), categories=[section]
    )
    make_article(title="Recent", published_at=days_ago(1), categories=[section])
    paths = ["/", section.get_absolute_url()]
    warm(*paths)
    old = Article.objects.get(pk=old.pk)
    old.sticky = True
    save_article(old)
    for path in paths:
        assert not is_hit(path), path
        soup = BeautifulSoup(request(path)[2], "html.parser")
        assert lead_title(soup) == "Old story", path


@pytest.mark.django_db(transaction=True)
def test_renaming_a_section_changes_the_cards_on_cached_lists_at_once():
    section = make_category(name="Old name")
    tag = make_tag()
    make_article(categories=[section], tags=[tag])
    paths = ["/", tag.get_absolute_url()]
    warm(*paths)
    section.name = "New name"
    section.save()
    for path in paths:
        kicker = BeautifulSoup(request(path)[2], "html.parser").select_one(
            ".card-kicker a"
        )
        assert kicker.get_text() == "New name", path
