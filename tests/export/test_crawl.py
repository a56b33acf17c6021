"""`broadsheet export static`: the site as files, incremental, with a link check."""

import json
import re

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.content.models import Article, SiteSettings
from broadsheet.export import crawl as export_module
from broadsheet.export.manifest import MANIFEST, Manifest
from broadsheet.pagecache import store
from broadsheet.publishing import surfaces
from broadsheet.publishing.services import save_article
from broadsheet.publishing.sitemaps import ArticleSitemap
from broadsheet.web import sources_views
from broadsheet.web.models import ArticleFragments
from tests.factories import (
    DISTINCT_BODIES,
    make_article,
    make_author,
    make_category,
    make_tag,
)

pytestmark = pytest.mark.django_db(transaction=True)


def export(target, jobs=2):
    """Two jobs by default: the worker processes are the usual path."""
    return CliRunner().invoke(cli, ["export", "static", str(target), f"--jobs={jobs}"])


def files_of(target):
    return {
        path.relative_to(target).as_posix(): path.read_bytes()
        for path in sorted(target.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


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
    lists = (target / "sitemaps" / "lists.xml").read_text()  # the list pages
    assert tag.get_absolute_url() in lists and "/archive/" in lists
    assert (target / "static" / "web" / "site.css").exists()
    assert "0 files deleted" in result.output


def test_every_exported_page_is_the_page_the_server_serves(
    settings, tmp_path, client, monkeypatch
):
    """The export's workers read lists, related reading and bylines once
    (web.snapshot); the server asks the database per page. Same bytes."""
    monkeypatch.setattr(sources_views, "READ_ALL_AFTER", 0)  # forked workers see it
    settings.STATIC_ROOT = tmp_path / "static"
    settings.BROADSHEET_PAGE_SIZE = 2  # several pages per list
    tags, category, author = [make_tag(), make_tag()], make_category(), make_author()
    for n in range(9):
        make_article(
            tags=tags[: n % 2 + 1],
            categories=[category] if n % 3 else [],
            authors=[author, make_author()] if n % 2 else [author],
        )
    target = tmp_path / "out"
    assert export(target).exit_code == 0
    manifest = Manifest.read(target / MANIFEST)
    kinds = set()
    for number in manifest.pages:
        url = manifest.urls.names[number]
        served = client.get(url, HTTP_HOST="127.0.0.1:8000")
        body = b"".join(served) if served.streaming else served.content  # a file
        assert (target / manifest.file(number)).read_bytes() == body, url
        kinds.add(url.split("/")[1] + ("/page" if "/page/" in url else ""))
        kinds.add(url.rpartition("/")[2])  # cite.bib, works-cited.ris...
    assert {"articles", "tags/page", "authors/page", "categories/page"} <= kinds
    assert {"page/page", "archive/page", "feed", "sitemaps"} <= kinds
    assert {"cite.bib", "cite.ris", "cite.json"} <= kinds


def test_worker_processes_write_the_same_bytes_as_one_process(site, tmp_path):
    alone, together = tmp_path / "alone", tmp_path / "together"
    assert export(alone, jobs=1).exit_code == 0
    assert export(together, jobs=3).exit_code == 0
    assert files_of(alone) == files_of(together)
    assert len(files_of(alone)) > 20


@pytest.mark.parametrize("jobs", [1, 2])
def test_rerun_rewrites_only_what_changed(site, tmp_path, jobs):
    articles, _tag = site
    # shares nothing with the edited one, not even its subject
    loner = make_article(tags=[make_tag()], body=DISTINCT_BODIES[0])
    target = tmp_path / "out"
    export(target, jobs)
    untouched = target / loner.get_absolute_url().lstrip("/") / "index.html"
    related = target / articles[2].get_absolute_url().lstrip("/") / "index.html"
    before = untouched.stat().st_mtime_ns
    articles[0].title = "Retitled Piece"
    save_article(articles[0])
    result = export(target, jobs)
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


def reused(output: str) -> int:
    return int(re.search(r"(\d+) pages reused without rendering", output).group(1))


def retitle(article, title):
    article.title = title
    save_article(article)


def tag_more(article, tag):
    article.tags.add(tag)
    save_article(article)


def withdraw(article):
    article.status = Article.Status.DRAFT
    save_article(article)


@pytest.mark.parametrize("jobs", [1, 2])
def test_after_each_kind_of_change_a_rerun_equals_a_fresh_export(site, tmp_path, jobs):
    """A re-run first re-renders only the pages showing what changed and keeps the
    rest when their links are unchanged; else it walks the site. Either way the
    directory must end as a fresh export of the same site would."""
    articles, tag = site
    loner, vellum = make_article(tags=[make_tag()]), make_tag(name="Vellum")
    target = tmp_path / "out"
    assert export(target, jobs).exit_code == 0
    changes = [
        lambda: retitle(articles[0], "Retitled Piece"),  # same links: no walk
        lambda: tag_more(loner, vellum),  # a new tag page
        lambda: make_article(title="Fresh Piece", tags=[tag]),  # new article
        lambda: withdraw(articles[1]),  # a page gone, links to it dropped
        lambda: retitle(loner, "Loner Renamed"),  # same links again
    ]
    for step, change in enumerate(changes):
        change()
        result = export(target, jobs)
        assert result.exit_code == 0, result.output
        fresh = tmp_path / f"fresh-{step}"
        assert export(fresh, jobs).exit_code == 0
        assert files_of(target) == files_of(fresh), f"after change {step}"
    assert (target / vellum.get_absolute_url().lstrip("/") / "index.html").exists()
    assert "Loner Renamed" in (target / "index.html").read_text()


@pytest.mark.parametrize("jobs", [1, 2])
def test_fragments_a_change_deleted_are_rendered_before_the_pages(site, tmp_path, jobs):
    articles, _tag = site
    make_article(title="Unfinished", status=Article.Status.DRAFT)
    target = tmp_path / "out"
    assert export(target, jobs).exit_code == 0
    settings_row = SiteSettings.load()
    settings_row.site_name = "The Renamed Review"
    settings_row.save()  # the site's name is in every article's fragments
    assert not ArticleFragments.objects.exists()

    result = export(target, jobs)

    assert result.exit_code == 0, result.output
    assert f"Rendering the page fragments of {len(articles)} articles" in result.output
    assert f": {len(articles)} article fragments rendered first," in result.output
    if jobs == 1:  # forked workers write to their copy of the in-memory test database
        stored = ArticleFragments.objects.values_list("article_id", flat=True)
        assert sorted(stored) == [article.pk for article in articles]
    for article in articles:
        page = target / article.get_absolute_url().lstrip("/") / "index.html"
        assert "The Renamed Review" in page.read_text()
    fresh = tmp_path / "fresh"
    assert export(fresh, jobs).exit_code == 0
    assert files_of(target) == files_of(fresh)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rerun_after_a_failed_run_walks_the_site_again(site, tmp_path, jobs):
    broken = make_article(body="See [the lost page](/articles/no-such-article/).")
    target = tmp_path / "out"
    assert export(target, jobs).exit_code == 1
    broken.body = "No link any more."
    save_article(broken)
    result = export(target, jobs)
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh"
    assert export(fresh, jobs).exit_code == 0
    assert files_of(target) == files_of(fresh)


def test_an_export_older_than_the_pruned_journal_rerenders_every_page(site, tmp_path):
    articles, _tag = site
    target = tmp_path / "out"
    assert export(target).exit_code == 0
    retitle(articles[0], "Retitled Piece")
    assert store.prune_journal(keep_seconds=0)  # the edit's rows are gone
    result = export(target)
    assert result.exit_code == 0, result.output
    assert reused(result.output) == 0
    assert "Retitled Piece" in (target / "index.html").read_text()
    assert reused(export(target).output) > 20  # since the cut-off: incremental again


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_dangling_internal_link_fails_the_export(site, tmp_path, jobs):
    broken = make_article(body="See [the lost page](/articles/no-such-article/).")
    result = export(tmp_path / "out", jobs)
    assert result.exit_code == 1
    assert f"{broken.get_absolute_url()} links to" not in result.output
    assert "/articles/no-such-article/ (HTTP 404)" in result.output


def test_a_protocol_relative_image_is_another_sites_not_a_dangling_link(site, tmp_path):
    make_article(body="![A press](//images.example.org/press.png)")
    result = export(tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_export_writes_robots_favicon_and_the_not_found_page(site, tmp_path, client):
    target = tmp_path / "out"
    assert export(target).exit_code == 0
    robots = (target / "robots.txt").read_text()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    assert (target / "favicon.ico").read_bytes()[:4] == b"\0\0\1\0"  # ICO magic
    for icon in ["apple-touch-icon.png", "icon-192.png", "icon-512.png"]:
        assert (target / icon).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", icon
    app = json.loads((target / "site.webmanifest").read_text())
    assert {icon["src"] for icon in app["icons"]} == {"/icon-192.png", "/icon-512.png"}
    not_found = (target / "404.html").read_text()
    assert "Page not found" in not_found
    assert not_found == client.get("/no-such-page/").content.decode()


def test_export_warns_while_the_site_address_is_a_local_one(site, tmp_path, settings):
    assert "a local address" in export(tmp_path / "local").output
    settings.BROADSHEET_SITE_URL = "https://magazine.example.org"
    settings.ALLOWED_HOSTS = ["magazine.example.org"]
    result = export(tmp_path / "public")
    assert result.exit_code == 0, result.output
    assert "local address" not in result.output
    robots = (tmp_path / "public" / "robots.txt").read_text()
    assert "Sitemap: https://magazine.example.org/sitemap.xml" in robots


def test_a_rerun_with_nothing_changed_renders_only_feeds_and_sitemap(site, tmp_path):
    target = tmp_path / "out"
    export(target)
    result = export(target)
    assert result.exit_code == 0, result.output
    # The sitemap index and its section of static pages: they carry no surfaces.
    assert "0 files written, 2 unchanged" in result.output


def test_a_deploy_rerenders_every_page(site, tmp_path, monkeypatch):
    """Code, templates, assets or the site address changed: surfaces cannot tell."""
    target = tmp_path / "out"
    assert export(target).exit_code == 0
    assert "0 files written" in export(target).output  # nothing changed: reused
    monkeypatch.setattr(export_module, "build_fingerprint", lambda: "a new release")
    result = export(target)
    assert result.exit_code == 0, result.output
    assert " 0 pages reused without rendering" in result.output


def test_an_edit_rerenders_only_the_sitemap_section_of_its_article(
    site, tmp_path, monkeypatch
):
    monkeypatch.setattr(surfaces, "ARTICLES_PER_BLOCK", 2)
    articles, _tag = site
    articles += [
        make_article(title=f"Later {n}", body=DISTINCT_BODIES[n]) for n in range(3)
    ]
    edited = articles[-1]
    target = tmp_path / "out"
    assert export(target).exit_code == 0
    sections = sorted((target / "sitemaps").glob("articles-*.xml"))
    assert len(sections) >= 3
    # Whatever is rendered from now on says so; reused files keep "monthly".
    monkeypatch.setattr(ArticleSitemap, "changefreq", "weekly")
    edited.title = "Edited Later"
    save_article(edited)
    result = export(target)
    assert result.exit_code == 0, result.output
    rendered = {path.name for path in sections if "weekly" in path.read_text()}
    assert rendered == {f"articles-{edited.pk // 2}.xml"}
    assert (
        edited.get_absolute_url() in (target / "sitemaps" / rendered.pop()).read_text()
    )


def test_a_first_version_manifest_is_read_without_rewriting_files(site, tmp_path):
    target = tmp_path / "out"
    export(target)
    manifest = Manifest.read(target / MANIFEST)
    first_version = {
        "started_ns": manifest.started_ns,
        "pages": {
            manifest.urls.names[number]: {
                "file": manifest.file(number),
                "hash": entry[1],
                "links": manifest.urls.decode(entry.links),
                "surfaces": manifest.surfaces.decode(entry.surfaces) or None,
            }
            for number, entry in manifest.pages.items()
        },
    }
    (target / MANIFEST).write_text(json.dumps(first_version))
    result = export(target)
    assert result.exit_code == 0, result.output
    assert "0 files written" in result.output
    assert json.loads((target / MANIFEST).read_text())["version"] == 2
