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
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from broadsheet.cli import cli
from broadsheet.content.models import Article
from broadsheet.discovery.models import ArticleTerms, RelatedArticle, TermFrequency
from broadsheet.discovery.related import lists, scoring
from broadsheet.publishing import announcements
from broadsheet.publishing.scheduler import Scheduler
from broadsheet.publishing.services import save_article, unpublish_article
from tests.factories import DISTINCT_BODIES, make_article, make_tag
from tests.migration import wxr
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


def test_reindex_builds_the_lists_a_publish_would(monkeypatch):
    """`reindex` answers the candidate lookups from memory (scoring.CandidateIndex);
    every list it stores must be the one the per-article queries compute. Small
    candidate limits make the limits and their tie rule (equal weights: higher id
    first) decide lists, as they do on a large site."""
    monkeypatch.setattr("broadsheet.discovery.related.scoring.TERM_CANDIDATES", 3)
    monkeypatch.setattr("broadsheet.discovery.related.scoring.LINK_CANDIDATES", 2)
    scoring._candidates_sql.cache_clear()
    shared, other = make_tag(), make_tag()
    bodies = [BINDING, BINDING_AGAIN, COMETS, COMETS_AGAIN, *DISTINCT_BODIES]
    for n in range(24):
        first, second = bodies[n % len(bodies)], bodies[(n * 5) % len(bodies)]
        make_article(body=f"{first}\n\n{second}", tags=[[shared], [other], []][n % 3])
    make_article(body=BINDING, status=Article.Status.DRAFT, tags=[shared])

    assert CliRunner().invoke(cli, ["reindex"], catch_exceptions=False).exit_code == 0

    stored = {
        pk: [entry.article_id for entry in entries]
        for pk, entries in lists.stored_lists(
            list(Article.objects.values_list("pk", flat=True))
        ).items()
    }
    profiles = scoring.profiles(
        list(ArticleTerms.objects.values_list("article_id", flat=True))
    )
    expected = {
        pk: [
            item.article_id for item in scoring.best(scoring.candidates(p), lists.SHOWN)
        ]
        for pk, p in profiles.items()
    }
    scoring._candidates_sql.cache_clear()
    assert {pk: ids for pk, ids in expected.items() if ids} == stored
    assert sum(map(len, stored.values())) >= 40  # the lists are not trivially empty


def test_an_import_reads_more_on_its_own_subject(tmp_path):
    """Through `broadsheet import wordpress` and the article pages."""
    make_article(title="Sewing a Book", body=BINDING)  # already on the site
    path = tmp_path / "export.xml"
    path.write_text(
        wxr.export(
            *wxr.default_header(),
            wxr.item(1, title="Boards and Covers", content=f"<p>{BINDING_AGAIN}</p>"),
            wxr.item(2, title="Tails of Ice", content=f"<p>{COMETS}</p>", slug="ice"),
            wxr.item(3, title="A Comet Returns", content=f"<p>{COMETS_AGAIN}</p>"),
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["import", "wordpress", str(path)])
    assert result.exit_code == 0, result.output

    covers, ice = (
        Article.objects.get(title=t) for t in ["Boards and Covers", "Tails of Ice"]
    )
    assert read_more(covers) == ["Sewing a Book"]
    assert read_more(Article.objects.get(title="Sewing a Book")) == [
        "Boards and Covers"
    ]
    assert read_more(ice) == ["A Comet Returns"]


def test_an_import_keeps_the_lists_update_for_keeps(monkeypatch):
    """Articles related together as an import ends (related.bulk): each list is
    the best of the article's own candidates (the per-article queries' answer)
    and of the imported articles that found it; a list that held a re-imported
    article now weaker is computed afresh. Small candidate limits make the
    difference between finding and being found matter."""
    monkeypatch.setattr("broadsheet.discovery.related.scoring.TERM_CANDIDATES", 3)
    monkeypatch.setattr("broadsheet.discovery.related.scoring.LINK_CANDIDATES", 2)
    scoring._candidates_sql.cache_clear()
    shared = make_tag()
    bodies = [BINDING, BINDING_AGAIN, COMETS, COMETS_AGAIN, *DISTINCT_BODIES]
    before = [make_article(body=bodies[n % 4], tags=[shared]) for n in range(6)]
    stored_before = lists.stored_lists(
        list(Article.objects.values_list("pk", flat=True))
    )
    with transaction.atomic(), announcements.as_one_change():
        imported = [
            make_article(
                body=f"{bodies[n % len(bodies)]}\n\n{bodies[(n * 3) % 4]}",
                tags=[shared] if n % 2 else [],
            )
            for n in range(14)
        ]
        imported.append(make_article(body=BINDING, status=Article.Status.DRAFT))
        relisted = before[0]
        relisted.body = COMETS  # its subject changes: lists holding it must drop it
        save_article(relisted)
    scoring._candidates_sql.cache_clear()
    new_ids = {a.pk for a in imported} | {relisted.pk}

    own = {
        pk: scoring.candidates(profile)
        for pk, profile in scoring.profiles(sorted(new_ids)).items()
        if ArticleTerms.objects.filter(article_id=pk).exists()
    }
    published = dict(Article.objects.values_list("pk", "published_at"))
    finders: dict[int, dict[int, float]] = {}
    for pk, scored in own.items():
        for other, item in scored.items():
            if (
                item.score >= scoring.MIN_SCORE
                and Article.objects.live().filter(pk=pk).exists()
            ):
                finders.setdefault(other, {})[pk] = item.score

    def merged(mine: dict[int, float], found: dict[int, float]) -> dict[int, float]:
        return {pk: max(mine.get(pk, -1), found.get(pk, -1)) for pk in mine | found}

    def best(items: dict[int, float]) -> list[int]:
        ranked = sorted(
            (
                (s, published[pk], pk)
                for pk, s in items.items()
                if s >= scoring.MIN_SCORE
            ),
            reverse=True,
        )
        return [pk for _, _, pk in ranked[: lists.SHOWN]]

    stored = {
        pk: [e.article_id for e in entries]
        for pk, entries in lists.stored_lists(list(published)).items()
    }
    for pk in published:
        if pk in own:
            mine = {other: item.score for other, item in own[pk].items()}
            expected = best(merged(mine, finders.get(pk, {})))
        elif pk in new_ids:
            expected = []  # the draft: no list
        else:
            old = {e.article_id: e.score for e in stored_before.get(pk, [])}
            if relisted.pk in old and old[relisted.pk] > finders.get(pk, {}).get(
                relisted.pk, -1
            ):
                mine = {
                    o: i.score
                    for o, i in scoring.candidates(scoring.profiles([pk])[pk]).items()
                }
                expected = best(merged(mine, finders.get(pk, {})))
            else:
                expected = best(merged(old, finders.get(pk, {})))
        assert stored.get(pk, []) == expected, pk
    scoring._candidates_sql.cache_clear()
    assert sum(map(len, stored.values())) >= 30
    draft = imported[-1].pk
    assert all(draft not in ids for ids in stored.values())


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
