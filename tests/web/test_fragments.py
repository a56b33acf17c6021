"""Article fragments: rendered once, never shown stale, whatever changes what they show.

Every test reads the page over HTTP with the page cache off, so what it sees comes
from the stored fragments (or their re-rendering), not from a cached response.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.template.loader import render_to_string

from broadsheet.content.models import Republication, SiteSettings
from broadsheet.publishing.services import save_article
from broadsheet.web import fragments
from broadsheet.web.models import ArticleFragments
from tests.factories import make_article, make_author, make_category, make_tag
from tests.serving.wsgi import request
from tests.web.read_only import read_only_database

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.BROADSHEET_PAGE_CACHE = False


def read(client, article) -> BeautifulSoup:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_first_read_stores_fragments_and_later_reads_reuse_them(
    client, django_assert_max_num_queries
):
    article = make_article(title="Type Metal")
    assert not ArticleFragments.objects.filter(article=article).exists()
    read(client, article)
    stored = ArticleFragments.objects.get(article=article)
    assert "Type Metal" in stored.header_html
    # One query for the article and its fragments, then related reading, view
    # count and the site's settings: nothing renders the article again.
    with django_assert_max_num_queries(4):
        soup = read(client, article)
    assert soup.select_one(".article-title").get_text() == "Type Metal"


def test_view_count_is_filled_in_per_request(client):
    article = make_article()
    assert read(client, article).select_one(".view-count") is None  # not "0 views"
    client.get(article.get_absolute_url(), HTTP_USER_AGENT="Mozilla/5.0 Firefox/130")
    assert read(client, article).select_one(".view-count").get_text() == "1 view"


def test_editing_the_article_replaces_its_fragments(client):
    article = make_article(title="First Title")
    read(client, article)
    article.title = "Second Title"
    save_article(article)
    soup = read(client, article)
    assert soup.select_one(".article-title").get_text() == "Second Title"
    assert soup.select_one("meta[property='og:title']")["content"] == "Second Title"


def test_renaming_an_author_changes_byline_and_author_box(client):
    author = make_author(name="Ada Quill")
    article = make_article(authors=[author])
    read(client, article)
    author.name = "Ada Quillon"
    author.save()
    soup = read(client, article)
    assert soup.select_one(".byline a").get_text() == "Ada Quillon"
    assert soup.select_one(".author-box h2").get_text() == "Ada Quillon"


def test_renaming_tags_and_categories_and_relinking_them_shows_at_once(client):
    tag, category = make_tag(name="Ink"), make_category(name="Craft")
    article = make_article(tags=[tag], categories=[category])
    read(client, article)
    tag.name, category.name = "Inks", "Crafts"
    tag.save()
    category.save()
    soup = read(client, article)
    assert [a.get_text() for a in soup.select(".tags a")] == ["Inks"]
    assert soup.select_one(".taxonomy a").get_text() == "Crafts"

    other = make_tag(name="Paper")
    other.articles.add(article)  # linked from the tag's side
    assert [a.get_text() for a in read(client, article).select(".tags a")] == [
        "Inks",
        "Paper",
    ]
    tag.delete()
    assert [a.get_text() for a in read(client, article).select(".tags a")] == ["Paper"]


def test_republication_line_and_site_name_changes_show_at_once(client):
    article = make_article()
    read(client, article)
    Republication.objects.create(
        article=article, venue="Printing Quarterly", volume_issue="3", pages="41-58"
    )
    assert "Printing Quarterly" in read(client, article).select_one(".source-line").text
    site = SiteSettings.load()
    site.site_name = "The Composing Room"
    site.save()
    soup = read(client, article)
    assert soup.select_one("meta[property='og:site_name']")["content"] == (
        "The Composing Room"
    )
    assert "The Composing Room" in soup.select_one(".cite-this-text").text


def test_a_rolled_back_change_leaves_the_fragments_showing_the_old_state(client):
    author = make_author(name="Ada Quill")
    article = make_article(authors=[author])
    read(client, article)
    with pytest.raises(RuntimeError), transaction.atomic():
        author.name = "Never Saved"
        author.save()
        raise RuntimeError("editor cancelled")
    assert ArticleFragments.objects.filter(article=article).exists()
    assert read(client, article).select_one(".byline a").get_text() == "Ada Quill"


def test_related_reading_uses_the_other_articles_cards(client):
    tag = make_tag()
    article = make_article(tags=[tag])
    neighbour = make_article(title="A Neighbour", tags=[tag], excerpt="Nearby.")
    cards = read(client, article).select(".related .card")
    assert [card.select_one("h3.card-title").get_text() for card in cards] == [
        "A Neighbour"
    ]
    assert cards[0].select_one(".excerpt").get_text() == "Nearby."
    neighbour.title = "The Neighbour"
    save_article(neighbour)
    card = read(client, article).select_one(".related .card-title")
    assert card.get_text() == "The Neighbour"


def test_the_filled_layout_is_the_template_rendered_with_the_real_values(rf, client):
    tag = make_tag()
    article = make_article(tags=[tag], title="Ink & Paper")
    make_article(tags=[tag])
    served = client.get(article.get_absolute_url()).content.decode()

    own = ArticleFragments.objects.get(article=article)
    related = ArticleFragments.objects.exclude(article=article).get()
    context = {
        "fragments": own,
        "header": fragments.header_with_views(own.header_html, 0, shown_from=1),
        "related": [
            fragments.card_at_level(fragments.Card(0, related.card_html, []), 3)
        ],
    }
    request = rf.get(article.get_absolute_url())
    assert served == render_to_string("web/article_detail.html", context, request)


def test_publishing_renders_the_fragments_before_anyone_reads_them(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Still a Draft", status="draft")  # rendered when read
        live = make_article(title="Out Now")
    stored = ArticleFragments.objects.filter(version=fragments.version())
    assert list(stored.values_list("article_id", flat=True)) == [live.pk]
    live.title = "Out Now, Retitled"
    with django_capture_on_commit_callbacks(execute=True):
        save_article(live)  # the edit deletes them; the commit renders them again
    assert "Out Now, Retitled" in stored.get(article=live).header_html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pages_whose_fragments_cannot_be_kept_are_shown_all_the_same():
    """A read-only database still has its articles: rendered, sent, not stored."""
    article = make_article(title="Deckle Edges")
    ArticleFragments.objects.all().delete()
    SiteSettings.load()
    with read_only_database():
        answers = [request(path) for path in ("/", article.get_absolute_url())]
    assert [status for status, _, _ in answers] == [200, 200]
    assert all(b"Deckle Edges" in body for _, _, body in answers)
    assert not ArticleFragments.objects.exists()
