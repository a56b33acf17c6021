"""Old permalinks of a site moved in answer 301 to where the content lives now."""

from __future__ import annotations

import pytest

from broadsheet.content.models import Article
from broadsheet.migration.wordpress.load import import_wordpress
from broadsheet.publishing.models import Redirect
from tests.migration.wxr import item
from tests.serving.wsgi import request, site_settings_exist  # noqa: F401

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
