"""`broadsheet export static`: the site as files, incremental, with a link check."""

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.content.models import Article
from broadsheet.publishing.services import save_article
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db(transaction=True)


def export(target):
    return CliRunner().invoke(cli, ["export", "static", str(target)])


@pytest.fixture
def site(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    tag = make_tag(name="Ink")
    return [make_article(title=f"Piece {n}", tags=[tag]) for n in range(3)], tag


def test_export_writes_every_public_page_at_its_url(site, tmp_path, client):
    articles, tag = site
    target = tmp_path / "out"
    result = export(target)
    assert result.exit_code == 0, result.output
    for article in articles:
        page = target / article.get_absolute_url().lstrip("/") / "index.html"
        served = client.get(article.get_absolute_url(), HTTP_HOST="127.0.0.1:8000")
        assert page.read_bytes() == served.content
    assert (target / "index.html").exists()
    assert (target / tag.get_absolute_url().lstrip("/") / "index.html").exists()
    assert (target / "feed" / "atom" / "index.xml").read_text().startswith("<?xml")
    assert (target / "sitemap.xml").exists()
    assert (target / "static" / "web" / "site.css").exists()
    assert "0 files deleted" in result.output


def test_rerun_rewrites_only_what_changed(site, tmp_path):
    articles, _tag = site
    loner = make_article(tags=[make_tag()])  # shares nothing with the edited one
    target = tmp_path / "out"
    export(target)
    untouched = target / loner.get_absolute_url().lstrip("/") / "index.html"
    related = target / articles[2].get_absolute_url().lstrip("/") / "index.html"
    before = untouched.stat().st_mtime_ns
    articles[0].title = "Retitled Piece"
    save_article(articles[0])
    result = export(target)
    assert result.exit_code == 0, result.output
    assert "Retitled Piece" in (target / "index.html").read_text()
    assert untouched.stat().st_mtime_ns == before
    assert "Retitled Piece" in related.read_text()  # its related reading changed
    assert "pages reused without rendering" in result.output


def test_withdrawn_articles_disappear_from_the_export(site, tmp_path):
    articles, _tag = site
    target = tmp_path / "out"
    export(target)
    gone = target / articles[1].get_absolute_url().lstrip("/") / "index.html"
    assert gone.exists()
    articles[1].status = Article.Status.DRAFT
    save_article(articles[1])
    result = export(target)
    assert result.exit_code == 0, result.output
    assert not gone.exists()


def test_a_dangling_internal_link_fails_the_export(site, tmp_path):
    broken = make_article(body="See [the lost page](/articles/no-such-article/).")
    result = export(tmp_path / "out")
    assert result.exit_code == 1
    assert "/articles/no-such-article/ (HTTP 404)" in result.output
    assert broken.slug
