"""Related reading as readers meet it: the "Read more" box of article pages.

Lists are stored when articles change (discovery.related), so every test here
changes articles through publishing's services (or the scheduler, or the CLI) and
reads the pages through the WSGI application, page cache included.
"""

import datetime
import random
import threading
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from django.db import DatabaseError, connection
from django.utils import timezone

from broadsheet.cli import cli
from broadsheet.content.models import Article
from broadsheet.discovery.models import ArticleTerms, RelatedArticle, TermFrequency
from broadsheet.publishing.scheduler import Scheduler
from broadsheet.publishing.services import save_article, unpublish_article
from tests.factories import DISTINCT_BODIES, make_article, make_tag
from tests.serving.wsgi import (
    is_hit,
    request,
    site_settings_exist,  # noqa: F401 (autouse fixture)
    warm,
)

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BINDING = (
    "Bookbinding: the binder sews folded signatures with linen thread, rounds the"
    " spine, glues mull across the spine, laces the boards on and covers the"
    " binding in leather. A sewn binding with a rounded spine and leather boards"
    " opens flat."
)
BINDING_AGAIN = (
    "A hand binding starts at the sewing frame: each signature is sewn with"
    " thread, then the spine is rounded and backed, lined with mull, and the"
    " boards are covered in leather. The leather at the spine is pared thin so"
    " the binding opens."
)
COMETS = (
    "Comets are loose bundles of ice and dust. Near the sun a comet's ice turns"
    " to gas and drags dust into a tail; the tail of a comet points away from the"
    " sun, and astronomers time each comet's return from its orbit."
)
COMETS_AGAIN = (
    "Halley's comet returns every seventy-six years. Its orbit carries the comet"
    " far beyond the planets, and each return near the sun strips ice and dust"
    " from the comet, so astronomers watch its tail grow and fade."
)


@pytest.fixture(autouse=True)
def other_subjects():
    """A few articles on subjects of their own, as any site has: what words are
    common is judged against them."""
    for n, body in enumerate(DISTINCT_BODIES[1:5]):
        make_article(title=f"Elsewhere {'ABCD'[n]}", body=body)


def read_more(article: Article) -> list[str]:
    """The titles in the article page's "Read more" box, in order."""
    status, _, body = request(article.get_absolute_url())
    assert status == 200
    soup = BeautifulSoup(body, "html.parser")
    return [a.get_text() for a in soup.select(".related .card-title a")]


def test_articles_on_one_subject_are_related_without_sharing_a_tag():
    sewing = make_article(title="Sewing a Book", body=BINDING, tags=[make_tag()])
    covers = make_article(title="Boards and Covers", body=BINDING_AGAIN)
    tails = make_article(title="Tails of Ice", body=COMETS, tags=[make_tag()])

    assert read_more(sewing) == ["Boards and Covers"]
    assert read_more(covers) == ["Sewing a Book"]
    assert read_more(tails) == []  # nothing on its subject: no box at all
    assert b'class="related"' not in request(tails.get_absolute_url())[2]


def test_articles_sharing_only_a_tag_are_still_related():
    ink = make_tag(name="Ink")
    first = make_article(title="Sewing a Book", body=BINDING, tags=[ink])
    make_article(title="Tails of Ice", body=COMETS, tags=[ink])
    make_article(title="Tidal Pools", body=DISTINCT_BODIES[5])
    assert read_more(first) == ["Tails of Ice"]


def test_withdrawing_an_article_takes_it_out_of_read_more_at_once():
    sewing = make_article(title="Sewing a Book", body=BINDING)
    covers = make_article(title="Boards and Covers", body=BINDING_AGAIN)
    assert read_more(sewing) == ["Boards and Covers"]
    warm(sewing.get_absolute_url())

    unpublish_article(covers)

    assert not is_hit(sewing.get_absolute_url())
    assert read_more(sewing) == []
    assert not RelatedArticle.objects.filter(related=covers).exists()


def test_an_edit_that_changes_the_subject_changes_the_lists():
    sewing = make_article(title="Sewing a Book", body=BINDING)
    covers = make_article(title="Boards and Covers", body=BINDING_AGAIN)
    tails = make_article(title="Tails of Ice", body=COMETS)
    assert read_more(sewing) == ["Boards and Covers"]
    assert read_more(tails) == []
    warm(sewing.get_absolute_url(), tails.get_absolute_url())

    covers.title = "The Return of Halley"
    covers.body = COMETS_AGAIN
    save_article(covers)

    assert read_more(sewing) == []
    assert read_more(tails) == ["The Return of Halley"]
    assert read_more(covers) == ["Tails of Ice"]


def test_a_scheduled_article_enters_read_more_when_it_is_due():
    sewing = make_article(title="Sewing a Book", body=BINDING)
    later = make_article(
        title="Boards and Covers",
        body=BINDING_AGAIN,
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert read_more(sewing) == []  # not before its time
    warm(sewing.get_absolute_url())
    Article.objects.filter(pk=later.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )  # its time comes, as the clock would bring it

    assert [a.pk for a in Scheduler().run_once()] == [later.pk]

    assert read_more(sewing) == ["Boards and Covers"]
    assert read_more(later) == ["Sewing a Book"]


def test_reindex_rebuilds_the_lists():
    sewing = make_article(title="Sewing a Book", body=BINDING)
    make_article(title="Boards and Covers", body=BINDING_AGAIN)
    make_article(title="Tails of Ice", body=COMETS)
    RelatedArticle.objects.all().delete()

    result = CliRunner().invoke(cli, ["reindex"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "Related reading rebuilt: 7 articles related" in result.stdout
    assert "Relating" in result.stderr
    assert read_more(sewing) == ["Boards and Covers"]


def test_editors_saving_related_articles_at_once_neither_fail_nor_miscount():
    """On PostgreSQL each save rewrote the term frequencies and its neighbours'
    lists alongside the others: deadlocks, and a list stored twice over (a
    duplicate rank), until each change took related reading's lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: no two saves to interleave")
    words = [
        "crumb",
        "crust",
        "gluten",
        "levain",
        "malt",
        "oven",
        "proofing",
        "rye",
        "spelt",
        "starch",
    ]
    tag = make_tag(name="Bread")
    ids = [
        make_article(title=f"Loaf {n}", body="Bread " + " ".join(words), tags=[tag]).pk
        for n in range(8)
    ]
    failures: list[str] = []

    def edit(mine: list[int], seed: int) -> None:
        chance = random.Random(seed)
        try:
            for _ in range(12):
                article = Article.objects.get(pk=chance.choice(mine))
                article.body = "Bread " + " ".join(chance.sample(words, 4))
                try:
                    save_article(article)
                except DatabaseError as error:
                    failures.append(str(error).splitlines()[0])
        finally:
            connection.close()

    editors = [threading.Thread(target=edit, args=(ids[n::4], n)) for n in range(4)]
    for editor in editors:
        editor.start()
    for editor in editors:
        editor.join()

    assert failures == []
    # Each term's frequency is still the number of articles holding it.
    held = Counter(
        term
        for terms in ArticleTerms.objects.values_list("terms", flat=True)
        for term in terms.split()
    )
    assert dict(
        TermFrequency.objects.filter(documents__gt=0).values_list("term", "documents")
    ) == dict(held)
    for pk in ids:
        ranks = RelatedArticle.objects.filter(article_id=pk).values_list(
            "rank", flat=True
        )
        assert sorted(ranks) == list(range(len(ranks)))
