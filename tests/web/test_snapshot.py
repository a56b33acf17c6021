"""An export worker's views answer from the snapshot its requests carry."""

import pytest

from broadsheet.export.pages import PageRenderer
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag_of_three(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.BROADSHEET_PAGE_SIZE = 1  # one article per page
    tag = make_tag()
    for n in range(3):
        make_article(tags=[tag], title=f"Piece Number {n}")  # each a day older
    return tag


def test_the_export_renderers_views_answer_from_its_snapshot(tag_of_three, tmp_path):
    renderer = PageRenderer(tmp_path / "out", "http://127.0.0.1:8000")
    url = tag_of_three.get_absolute_url()
    assert renderer.export(url, None).status == 200
    key = ("list", ("tags", tag_of_three.pk))
    held = renderer.snapshot.answers[key]
    assert len(held) == 3  # the whole list, read once for all its pages
    renderer.snapshot.answers[key] = held[::-1]  # what the view reads, if it asks
    renderer.export(url, None)
    first_page = (tmp_path / "out" / url.lstrip("/") / "index.html").read_text()
    assert "Piece Number 2" in first_page  # the oldest: the reversed order's first


def test_requests_the_server_answers_carry_no_snapshot(tag_of_three, client):
    first_page = client.get(tag_of_three.get_absolute_url()).content.decode()
    assert "Piece Number 0" in first_page  # the newest, read from the database
