"""Markdown export, then import on an emptied database, gives identical pages."""

import datetime

import pytest
from click.testing import CliRunner
from django.utils import timezone

from broadsheet.cli import cli
from broadsheet.content.models import (
    Article,
    Author,
    Category,
    Page,
    Republication,
    Tag,
)
from broadsheet.publishing.models import Redirect
from broadsheet.sources.models import Work
from broadsheet.sources.services import import_works
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_page,
    make_tag,
)

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORKS = """@book{marsh2001,
  author = {Marsh, Ben and Fielding, Ada},
  title = {Hedges and Their Keeping},
  publisher = {Hedgerow Press},
  address = {Ludlow},
  year = {2001},
}

@article{voss2015,
  author = {Voss, Clara},
  title = {Paste, Glue and the Spine},
  journal = {Journal of Hand Binding},
  volume = {12},
  number = {3},
  pages = {41--58},
  year = {2015},
  doi = {10.5555/binding.2015.12},
}
"""

CITED = """Laying a hedge starts in winter [@marsh2001, p. 14].[^cut]

## Pleaching

Each stem is cut most of the way through[^cut] and bent over, as glue
binds a spine [see @voss2015, pp. 42-44; @marsh2001].

[^cut]: Leave enough bark for the sap to rise.
"""


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def snapshot() -> dict[str, dict[str, object]]:
    """What each article and page shows, by slug."""
    shown = {}
    for article in Article.objects.with_bylines().prefetch_related(
        "tags", "categories"
    ):
        shown[article.slug] = {
            "html": (article.body_html, article.notes_html, article.bibliography_html),
            "title": (article.title, article.subtitle, article.excerpt),
            "status": (article.status, article.published_at),
            "authors": [a.name for a in article.ordered_authors],
            "tags": sorted(t.name for t in article.tags.all()),
            "categories": sorted(c.name for c in article.categories.all()),
            "cited": sorted(article.citations.values_list("work__key", "locator")),
            "redirects": sorted(
                Redirect.objects.filter(article=article).values_list(
                    "old_path", flat=True
                )
            ),
            "source": getattr(
                Republication.objects.filter(article=article).first(), "source_line", ""
            ),
        }
    for page in Page.objects.all():
        shown[f"page:{page.slug}"] = {
            "html": page.body_html,
            "title": page.title,
            "published": page.is_published,
        }
    return shown


def empty_the_database() -> None:
    Article.objects.all().delete()  # bylines, citations, redirects go with them
    for model in (Page, Author, Tag, Category, Work):
        model.objects.all().delete()


def test_export_then_import_gives_identical_rendered_html(tmp_path):
    import_works(WORKS, filename="works.bib")
    ada, ben = make_author(name="Ada Fielding"), make_author(name="Ben Marsh")
    hedges = make_article(
        title="Laying a hedge",
        subtitle="A winter job",
        slug="laying-a-hedge",
        body=CITED,
        excerpt="Cut, bend, weave.",
        authors=[ben, ada],
        tags=[make_tag(name="Hedges", slug="hedges")],
        categories=[make_category(name="Countryside", slug="countryside")],
    )
    Republication.objects.create(
        article=hedges,
        venue="The Hedger's Quarterly",
        original_title="On Pleaching",
        date=datetime.date(1999, 3, 1),
        url="https://hedgers.example.org/pleaching",
    )
    Redirect.objects.create(old_path="/2019/01/hedges/", article=hedges)
    make_article(title="Noted piece", slug="noted", authors=[ada])  # two notes
    make_article(
        title="Unfinished",
        slug="unfinished",
        status=Article.Status.DRAFT,
        published_at=None,
        body="Still *drafting* this.[^x]\n",  # a dangling note: drafts may have one
        authors=[],
    )
    make_article(
        title="Next week",
        slug="next-week",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(days=7),
        authors=[ben],
    )
    about = make_page(title="About", slug="about", body="We *keep* hedges.")
    Redirect.objects.create(old_path="/about-us/", page=about)
    make_page(title="Hidden", slug="hidden", is_published=False)
    before = snapshot()

    out = tmp_path / "export"
    exported = invoke("export", "markdown", str(out))
    assert "4 articles, 2 pages, 2 works, 2 redirects" in exported.stdout
    assert (out / "bibliography.bib").read_text().count("@") == 2
    text = (out / "content/posts/laying-a-hedge.md").read_text()
    assert text.startswith("---\ntitle: Laying a hedge\n")
    assert "bibliography: ../../bibliography.bib" in text
    assert text.endswith(CITED)

    empty_the_database()
    invoke("import", "markdown", str(out))
    after = snapshot()
    assert after.keys() == before.keys()
    for slug in before:
        assert after[slug] == before[slug], slug
    assert before["laying-a-hedge"]["cited"]  # the comparison covered citations
