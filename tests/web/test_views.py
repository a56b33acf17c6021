"""Public pages through Django's test client: every page type, as a reader sees it."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from broadsheet.content.models import Article, Republication, SiteSettings
from broadsheet.editorial.roles import Role
from broadsheet.publishing import surfaces
from broadsheet.readership.counting import record_view
from tests.factories import (
    DISTINCT_BODIES,
    make_article,
    make_author,
    make_category,
    make_page,
    make_tag,
    make_user,
)

pytestmark = pytest.mark.django_db
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_home_lists_latest_articles_with_byline_date_and_excerpt(client):
    author = make_author(name="Ada Quill")
    make_article(title="Older", authors=[author])
    make_article(
        title="Newest", authors=[author], published_at=timezone.now(), excerpt="Hand."
    )
    soup = soup_of(client.get("/"))
    titles = [h.get_text() for h in soup.select(".card-title")]
    assert titles == ["Newest", "Older"]
    first = soup.select_one(".card")
    assert first.select_one(".byline a").get_text() == "Ada Quill"
    assert first.select_one("time")["datetime"]
    assert first.select_one(".excerpt").get_text() == "Hand."


def test_lists_paginate_by_path_and_404_past_the_last_page(client, settings):
    settings.BROADSHEET_PAGE_SIZE = 2
    tag = make_tag()
    for _ in range(3):
        make_article(tags=[tag])
    first = soup_of(client.get("/"))
    assert len(first.select(".card")) == 2
    assert first.select_one("a[rel=next]")["href"] == "/page/2/"
    second = soup_of(client.get("/page/2/"))
    assert len(second.select(".card")) == 1
    assert second.select_one("a[rel=prev]")["href"] == "/"
    assert client.get("/page/3/").status_code == 404
    assert client.get("/page/0/").status_code == 404
    tag_next = soup_of(client.get(tag.get_absolute_url())).select_one("a[rel=next]")
    assert tag_next["href"] == f"{tag.get_absolute_url()}page/2/"
    assert client.get(tag_next["href"]).status_code == 200


def test_list_pages_use_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, settings
):
    settings.BROADSHEET_PAGE_CACHE = False
    tag = make_tag()
    for _ in range(8):
        make_article(tags=[tag], authors=[make_author(), make_author()])
    for url in ["/", tag.get_absolute_url(), "/archive/"]:
        # The first reader renders the articles' cards, in one batch.
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_article_page_shows_everything_a_reader_needs(client):
    author = make_author(name="Ada Quill", bio="Ada sets *type* by hand.")
    tag, category = make_tag(name="Ink"), make_category(name="Crafts")
    article = make_article(
        title="On Hand Moulds",
        subtitle="A short history",
        authors=[author],
        tags=[tag],
        categories=[category],
    )
    soup = soup_of(client.get(article.get_absolute_url(), **BROWSER))
    assert soup.h1.get_text() == "On Hand Moulds"
    assert soup.select_one(".article-subtitle").get_text() == "A short history"
    assert soup.select_one(".byline a")["href"] == author.get_absolute_url()
    assert soup.select_one(".reading-time").get_text() == "1 min read"
    assert soup.select_one(".view-count").get_text() == "1 view"
    assert soup.select_one(".author-box .bio em").get_text() == "type"
    assert soup.select_one(".tags a")["href"] == tag.get_absolute_url()
    assert soup.select_one(".taxonomy a")["href"] == category.get_absolute_url()
    assert len(soup.select(".notes-list > li")) == 2
    canonical = soup.select_one("link[rel=canonical]")["href"]
    assert canonical.endswith(article.get_absolute_url())


def test_article_note_links_resolve_both_ways(client):
    soup = soup_of(client.get(make_article().get_absolute_url()))
    ids = {tag["id"] for tag in soup.select("[id]")}
    refs = soup.select(".note-ref a")
    backrefs = soup.select(".note-backref")
    assert len(refs) == 3 and len(backrefs) == 3
    for link in refs + backrefs:
        assert link["href"].removeprefix("#") in ids


def test_table_of_contents_appears_only_for_articles_with_three_headings(client):
    short = make_article()
    long_body = "Intro.\n\n## One\n\nA.\n\n## Two\n\nB.\n\n### Two and a half\n\nC.\n"
    long = make_article(body=long_body)
    assert soup_of(client.get(short.get_absolute_url())).select_one(".toc") is None
    toc = soup_of(client.get(long.get_absolute_url())).select_one(".toc")
    assert [a["href"] for a in toc.select("a")] == ["#one", "#two", "#two-and-a-half"]


def test_republished_article_shows_source_line_and_canonical_original(client):
    article = make_article()
    Republication.objects.create(
        article=article,
        original_title="Leading and Spacing",
        venue="The Compositor's Quarterly",
        volume_issue="vol. 3, no. 2",
        date=datetime.date(1998, 5, 4),
        pages="pp. 41-58",
        url="https://example.org/cq/3-2",
    )
    soup = soup_of(client.get(article.get_absolute_url()))
    assert soup.select_one(".source-line").get_text() == (
        "Source: \u201cLeading and Spacing\u201d, The Compositor's Quarterly, "
        "vol. 3, no. 2, 4 May 1998, pp. 41-58."
    )
    assert (
        soup.select_one("link[rel=canonical]")["href"] == "https://example.org/cq/3-2"
    )


def test_related_reading_prefers_most_shared_tags_then_recency(client):
    ink, paper, glue = make_tag(), make_tag(), make_tag()
    article = make_article(tags=[ink, paper, glue])
    one_shared_new = make_article(tags=[ink], published_at=timezone.now())
    two_shared_old = make_article(tags=[ink, paper])
    # shares nothing, not even its subject: never related
    make_article(tags=[make_tag()], body=DISTINCT_BODIES[0])
    soup = soup_of(client.get(article.get_absolute_url()))
    related = [a.get_text() for a in soup.select(".related .card-title a")]
    assert related == [two_shared_old.title, one_shared_new.title]
    assert soup.select_one(".related .excerpt").get_text()


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=2)},
    ],
    ids=["draft", "scheduled-in-future"],
)
def test_articles_not_yet_live_are_not_found(client, overrides):
    article = make_article(**overrides)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/").content.decode()


def test_staff_preview_shows_draft_without_counting_a_view(admin_client, client):
    article = make_article(status=Article.Status.DRAFT)
    response = admin_client.get(f"/preview/{article.pk}/", **BROWSER)
    assert "Preview: Draft" in soup_of(response).select_one(".preview-banner").text
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(f"/preview/{article.pk}/").status_code == 302  # to login


def test_preview_needs_a_newsroom_role_that_may_edit_the_article(client):
    article = make_article(status=Article.Status.DRAFT, title="Unseen Draft")
    bare = User.objects.create_user("bare", password="x", is_staff=True)
    client.force_login(bare)
    assert client.get(f"/preview/{article.pk}/").status_code == 403
    client.force_login(make_user(Role.AUTHOR))  # someone else's draft
    assert client.get(f"/preview/{article.pk}/").status_code == 403
    client.force_login(make_user(Role.EDITOR))
    assert "Unseen Draft" in client.get(f"/preview/{article.pk}/").content.decode()


def test_author_index_lists_only_authors_with_live_articles(client):
    published, drafting = make_author(name="Ada Quill"), make_author(name="Ben Draft")
    make_article(authors=[published])
    make_article(authors=[published], status=Article.Status.DRAFT)
    make_article(authors=[drafting], status=Article.Status.DRAFT)
    text = soup_of(client.get("/authors/")).get_text()
    assert "Ada Quill (1 article)" in " ".join(text.split())
    assert "Ben Draft" not in text


def test_robots_txt_points_to_the_sitemap_at_the_site_address(client, settings):
    settings.BROADSHEET_SITE_URL = "https://magazine.example.org"
    response = client.get("/robots.txt", HTTP_HOST="127.0.0.1:8000")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://magazine.example.org/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_only_non_bot_gets_count_views(client):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url, **BROWSER)
    client.head(url, **BROWSER)
    client.get(url, HTTP_USER_AGENT="Googlebot/2.1")
    client.get(url)  # no User-Agent at all
    soup = soup_of(client.get(url, HTTP_USER_AGENT="curl/8"))
    assert soup.select_one(".view-count").get_text() == "1 view"


def test_most_read_orders_by_views(client):
    quiet, popular = make_article(title="Quiet"), make_article(title="Popular")
    record_view(popular.pk, count=5)
    record_view(quiet.pk, count=2)
    soup = soup_of(client.get("/most-read/"))
    assert [a.get_text() for a in soup.select(".card-title a")] == ["Popular", "Quiet"]
    assert soup.select_one(".most-read .count").get_text() == "5 views"


def test_view_counts_below_the_sites_threshold_are_not_shown(client):
    article = make_article()
    record_view(article.pk, count=3)
    meta = soup_of(client.get(article.get_absolute_url())).select_one(".article-meta")
    assert "min read · 3 views" in " ".join(meta.get_text().split())
    SiteSettings.objects.filter(pk=1).update(views_shown_from=5)
    cache.clear()
    meta = soup_of(client.get(article.get_absolute_url())).select_one(".article-meta")
    assert "view" not in meta.get_text()
    assert "read · Updated" in " ".join(meta.get_text().split())  # no lone "·"
    most_read = soup_of(client.get("/most-read/"))
    assert [a.get_text() for a in most_read.select(".card-title a")] == [article.title]
    assert most_read.select(".most-read .count") == []


def test_zero_as_threshold_shows_every_count_zero_included(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"views_shown_from": 0})
    article = make_article()
    view_count = soup_of(client.get(article.get_absolute_url())).select_one(
        ".view-count"
    )
    assert view_count.get_text() == "0 views"


@pytest.mark.parametrize("path", ["/most-read/", "/archive/", "/authors/"])
def test_empty_lists_read_as_a_sentence_not_a_list_item(client, path):
    content = soup_of(client.get(path)).select_one("main")
    assert content.select("li") == []
    assert content.select_one("p").get_text().endswith(".")


@pytest.mark.parametrize("name", ["\ue000", "Ink\ue000title\ue000Press", "\ue000main"])
def test_a_site_name_with_private_use_characters_renders_every_page(client, name):
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": name})
    article = make_article(title="Plain Title")
    for url in ["/", article.get_absolute_url(), "/archive/"]:
        page = soup_of(client.get(url))
        assert name in page.title.get_text()
    assert page.title.get_text().startswith("Archive ·")


def test_author_page_lists_their_articles_and_links(client):
    author = make_author(name="Ada Quill")
    author.links.create(label="Website", url="https://example.org/ada")
    mine, _theirs = make_article(authors=[author]), make_article()
    soup = soup_of(client.get(author.get_absolute_url()))
    assert "Ada Quill" in soup.h1.get_text()
    assert [a.get_text() for a in soup.select(".card-title a")] == [mine.title]
    assert soup.select_one(".author-links a")["href"] == "https://example.org/ada"
    assert "Ada Quill" in soup_of(client.get("/authors/")).get_text()


def test_category_and_tag_pages_list_only_their_articles(client):
    category, tag = make_category(name="Crafts"), make_tag(name="Ink")
    in_both = make_article(categories=[category], tags=[tag])
    make_article()
    for url in [category.get_absolute_url(), tag.get_absolute_url()]:
        titles = [
            a.get_text() for a in soup_of(client.get(url)).select(".card-title a")
        ]
        assert titles == [in_both.title]
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_monthly_archive_lists_months_and_their_articles(client):
    may = datetime.datetime(2025, 5, 10, tzinfo=datetime.UTC)
    make_article(title="In May", published_at=may)
    make_article(title="In June", published_at=may + datetime.timedelta(days=30))
    index = soup_of(client.get("/archive/"))
    assert [a.get_text() for a in index.select(".archive-months a")] == [
        "June 2025",
        "May 2025",
    ]
    month = soup_of(client.get("/archive/2025/5/"))
    assert [a.get_text() for a in month.select(".card-title a")] == ["In May"]
    assert client.get("/archive/2025/13/").status_code == 404


def test_static_page_and_footer_links_with_donation(client):
    disclaimer = make_page(title="Legal disclaimer", slug="disclaimer")
    settings_row = SiteSettings.load()
    settings_row.donation_url = "https://example.org/donate"
    settings_row.donation_label = "Support the magazine"
    settings_row.save()
    settings_row.footer_pages.set([disclaimer])
    soup = soup_of(client.get("/disclaimer/"))
    assert soup.h1.get_text() == "Legal disclaimer"
    footer = soup.select_one(".site-footer")
    assert footer.select_one("a[href='/disclaimer/']").get_text() == "Legal disclaimer"
    assert footer.select_one(".donate").get_text() == "Support the magazine"


def test_unknown_address_gets_the_friendly_404_page(client):
    response = client.get("/no/such/place/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_gets_the_500_page(client, monkeypatch):
    client.raise_request_exception = False

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("broadsheet.web.views.related_reading.related_to", explode)
    response = client.get(make_article().get_absolute_url())
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def sitemap_locations(client) -> tuple[list[str], list[str]]:
    """The sections the sitemap index lists, and every URL those sections list."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = re.findall(r"<loc>https?://[^/]+(/[^<]+)</loc>", index.content.decode())
    urls = []
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200, section
        urls += re.findall(
            r"<loc>https?://[^/]+(/[^<]+)</loc>", response.content.decode()
        )
    return sections, urls


def test_sitemap_lists_every_live_article_and_page(client):
    live = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    page = make_page()
    _, urls = sitemap_locations(client)
    assert live.get_absolute_url() in urls and page.get_absolute_url() in urls
    assert draft.get_absolute_url() not in urls
    assert len(urls) == len(set(urls))


def test_sitemap_has_one_section_per_block_of_article_ids(client, monkeypatch):
    monkeypatch.setattr(surfaces, "ARTICLES_PER_BLOCK", 2)
    articles = [make_article() for _ in range(5)]
    withdrawn = articles[2]
    withdrawn.status = Article.Status.DRAFT
    withdrawn.save()
    sections, urls = sitemap_locations(client)
    blocks = sorted({article.pk // 2 for article in articles if article != withdrawn})
    assert sections == ["/sitemaps/pages.xml", "/sitemaps/lists.xml"] + [
        f"/sitemaps/articles-{block}.xml" for block in blocks
    ]
    live = [a.get_absolute_url() for a in articles if a != withdrawn]
    assert sorted(u for u in urls if "/articles/" in u) == sorted(live)
    assert client.get("/sitemaps/articles-999.xml").status_code == 404


def test_feeds_carry_the_latest_live_articles(client):
    article = make_article(title="Fresh Ink")
    for url in ["/feed/", "/feed/atom/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Fresh Ink" in response.content.decode()
        assert article.get_absolute_url() in response.content.decode()


def test_pages_make_no_requests_to_other_hosts(client):
    soup = soup_of(client.get(make_article().get_absolute_url()))
    for tag in soup.select("link[href], script[src], img[src]"):
        url = tag.get("href") or tag.get("src")
        assert url.startswith("/") or tag.get("rel") == ["canonical"], url


def test_titles_and_subtitles_get_typographic_quotes(client):
    article = make_article(title="The Printer's Devil", subtitle='A "short" history')
    soup = soup_of(client.get(article.get_absolute_url()))
    assert soup.h1.get_text() == "The Printer\u2019s Devil"
    assert (
        soup.select_one(".article-subtitle").get_text() == "A \u201cshort\u201d history"
    )
    home = soup_of(client.get("/"))
    assert home.select_one(".card-title").get_text() == "The Printer\u2019s Devil"
