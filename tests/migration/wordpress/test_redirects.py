"""Old permalinks of a site moved in answer 301 to where the content lives now."""

from __future__ import annotations

import pytest

from broadsheet.content.models import Article
from broadsheet.migration.wordpress.load import import_wordpress
from broadsheet.publishing.models import Redirect
from tests.migration.wxr import item
from tests.serving.wsgi import is_hit, request, site_settings_exist  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_imported_posts_old_permalink_redirects_permanently(write_export):
    import_wordpress(write_export(item(21, slug="locking-a-forme")))
    status, headers, _body = request("/locking-a-forme/")
    assert status == 301
    assert headers["location"] == "/articles/locking-a-forme/"
    assert request(headers["location"])[0] == 200


def test_the_redirect_follows_the_article_to_its_new_slug(write_export):
    import_wordpress(write_export(item(21, slug="locking-a-forme")))
    Article.objects.filter(slug="locking-a-forme").update(slug="the-forme")
    assert request("/locking-a-forme/")[1]["location"] == "/articles/the-forme/"


def test_an_old_permalink_of_a_draft_is_not_found(write_export):
    import_wordpress(write_export(item(22, slug="unready", status="draft")))
    assert Redirect.objects.filter(old_path="/unready/").exists()
    assert request("/unready/")[0] == 404


def test_an_unknown_path_is_still_a_404():
    assert request("/never-was/")[0] == 404


def test_a_redirect_is_answered_from_the_page_cache_after_the_first_time(
    write_export,
):
    import_wordpress(write_export(item(21, slug="locking-a-forme")))
    first = request("/locking-a-forme/")
    assert first[0] == 301
    status, headers, body = request("/locking-a-forme/")
    assert (status, headers["location"], body) == (
        301,
        "/articles/locking-a-forme/",
        b"",
    )
    assert headers["x-broadsheet-cache"] == "hit"


def test_a_dated_permalink_redirects_through_the_cache(write_export):
    link = "https://old.example.org/2019/04/02/locking-a-forme/"
    import_wordpress(write_export(item(21, slug="locking-a-forme", link=link)))
    assert request("/2019/04/02/locking-a-forme/")[0] == 301
    status, headers, _ = request("/2019/04/02/locking-a-forme/")
    assert (status, headers["x-broadsheet-cache"]) == (301, "hit")
    assert headers["location"] == "/articles/locking-a-forme/"


def old_site(write_export, **kwargs):
    from tests.migration.wxr import attachment, author, category, tag

    header = [
        author("ada", "Ada Compositor").replace(
            "<wp:author_id>1</wp:author_id>", "<wp:author_id>7</wp:author_id>"
        ),
        category("printing", "Printing"),
        category("letterpress", "Letterpress", parent="printing").replace(
            "<wp:term_id>1</wp:term_id>", "<wp:term_id>5</wp:term_id>"
        ),
        tag("ink", "Ink"),
    ]
    return write_export(
        item(21, slug="locking-a-forme", categories=[("letterpress", "Letterpress")]),
        item(45, slug="about", post_type="page", title="About"),
        attachment(
            31,
            "2019/04/press.jpg",
            parent=21,
            link="https://old.example.org/locking-a-forme/press/",
        ),
        header=header,
        **kwargs,
    )


def hit(path: str) -> tuple[int, str]:
    """Ask twice: the first answer is rendered, the second must be the cache's."""
    first = request(path)
    status, headers, _body = request(path)
    assert headers.get("x-broadsheet-cache") == "hit", (path, first[0], status)
    assert first[0] == status
    return status, headers.get("location", "")


@pytest.fixture
def imported(write_export):
    import_wordpress(old_site(write_export))
    request("/")  # the home page is cached: ?p= answers come from under it
    assert request("/")[1]["x-broadsheet-cache"] == "hit"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=21", "/articles/locking-a-forme/"),
        ("/?p=21&utm_source=letter", "/articles/locking-a-forme/"),
        ("/?page_id=45", "/about/"),
        ("/?cat=5", "/categories/letterpress/"),
        ("/?tag=ink", "/tags/ink/"),
        ("/?author=7", "/authors/ada/"),
        ("/?attachment_id=31", "/articles/locking-a-forme/"),
        ("/locking-a-forme/press/", "/articles/locking-a-forme/"),
        ("/category/printing/letterpress/", "/categories/letterpress/"),
        ("/category/letterpress/", "/categories/letterpress/"),
        ("/category/printing/letterpress/feed/", "/categories/letterpress/feed/"),
        ("/tag/ink/", "/tags/ink/"),
        ("/tag/ink/feed/", "/tags/ink/feed/"),
        ("/author/ada/", "/authors/ada/"),
        ("/author/ada/feed/", "/authors/ada/feed/"),
        ("/comments/feed/", "/feed/"),
        ("/feed/rss2/", "/feed/"),
    ],
)
def test_every_old_address_answers_301_from_the_cache(imported, old, new):
    assert hit(old) == (301, new)
    assert request(new)[0] == 200


def test_the_old_feed_address_is_the_feed_here(imported):
    assert request("/feed/")[0] == 200


def test_other_query_strings_on_the_home_page_still_get_the_cached_page(imported):
    status, headers, _ = request("/?utm_source=letter&ref=42")
    assert (status, headers["x-broadsheet-cache"]) == (200, "hit")


def test_an_old_query_without_a_redirect_is_the_cached_home_page(imported):
    status, headers, _ = request("/?p=999")
    assert (status, headers["x-broadsheet-cache"]) == (200, "hit")


def test_an_attachment_page_goes_to_the_library_file_when_imported(
    write_export, tmp_path
):
    from tests.factories import image_file

    uploads = tmp_path / "uploads"
    (uploads / "2019/04").mkdir(parents=True)
    (uploads / "2019/04/press.jpg").write_bytes(image_file().read())
    import_wordpress(old_site(write_export), media_dir=uploads)
    from broadsheet.media.models import Image

    url = Image.objects.get().url
    assert request("/?attachment_id=31")[1]["location"] == url
    assert request("/locking-a-forme/press/")[1]["location"] == url


def test_a_redirect_cached_for_an_article_goes_when_it_is_withdrawn(
    imported, django_capture_on_commit_callbacks
):
    from broadsheet.publishing.services import unpublish_article

    assert hit("/?p=21") == (301, "/articles/locking-a-forme/")
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_article(Article.objects.get(slug="locking-a-forme"))
    assert request("/?p=21")[0] == 200  # the home page: no live article to go to


def test_a_cached_redirect_is_sent_plain_to_a_client_asking_for_compression(
    imported,
):
    hit("/tag/ink/")
    status, headers, body = request("/tag/ink/", accept_encoding="gzip, br")
    assert (status, headers["location"], body) == (301, "/tags/ink/", b"")
    assert "content-encoding" not in headers
    assert request("/tag/ink/", method="HEAD")[0] == 301


@pytest.mark.django_db(transaction=True)
def test_a_cached_redirect_follows_a_redirect_changed_or_removed_later(write_export):
    """Through the shell or a later import: Redirect rows retire the cached 301."""
    import_wordpress(
        write_export(item(21, slug="locking-a-forme"), item(22, slug="furniture"))
    )
    assert request("/locking-a-forme/")[0] == 301
    assert is_hit("/locking-a-forme/")
    furniture = Article.objects.get(slug="furniture")
    Redirect.objects.filter(old_path="/locking-a-forme/").update(article=furniture)
    assert is_hit("/locking-a-forme/")  # update() sends no signal: kept
    moved = Redirect.objects.get(old_path="/locking-a-forme/")
    moved.save()  # as the shell or an import saves it

    assert request("/locking-a-forme/")[1]["location"] == "/articles/furniture/"
    moved.delete()
    assert request("/locking-a-forme/")[0] == 404


def test_an_old_address_two_posts_claim_goes_to_the_later_one(write_export):
    """Old addresses are written in batches: the later post still wins, as it
    did when each was written at once."""
    twice = "https://old.example.org/the-case/"
    import_wordpress(
        write_export(
            item(31, slug="upper-case", link=twice),
            item(32, slug="lower-case", link=twice),
        )
    )
    assert request("/the-case/")[1]["location"] == "/articles/lower-case/"
    assert Redirect.objects.filter(old_path="/the-case/").count() == 1
