"""Tests for the plain-data demo site and benchmark corpus generator."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter

import pytest

from broadsheet.demo.corpus import (
    ArticleSpec,
    DemoSite,
    build_corpus,
    build_corpus_taxonomy,
    build_demo_site,
    word_count,
)

REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
FLAGSHIP = "the-long-life-of-movable-type"


@pytest.fixture(scope="module")
def site() -> DemoSite:
    return build_demo_site()


def by_slug(site: DemoSite, slug: str) -> ArticleSpec:
    return next(a for a in site.articles if a.slug == slug)


def note_definitions(body: str) -> dict[str, str]:
    """Map each note label to its full definition text (all paragraphs)."""
    starts = list(DEFINITION.finditer(body))
    ends = [m.start() for m in starts[1:]] + [len(body)]
    pairs = zip(starts, ends, strict=False)
    return {m.group(1): body[m.end() : end] for m, end in pairs}


def references(body: str) -> list[str]:
    return REFERENCE.findall(body)


def long_articles(site: DemoSite) -> list[ArticleSpec]:
    return [
        a
        for a in site.articles
        if word_count(a.body_markdown, include_notes=False) >= 4000
        and len(note_definitions(a.body_markdown)) >= 30
    ]


def test_the_same_seed_builds_an_identical_site():
    assert build_demo_site(7) == build_demo_site(7)
    assert build_demo_site() == build_demo_site(1455)


def test_a_different_seed_builds_different_prose():
    first, second = build_demo_site(1), build_demo_site(2)
    assert [a.body_markdown for a in first.articles] != [
        a.body_markdown for a in second.articles
    ]


def test_the_site_has_its_settings_authors_and_taxonomy(site):
    assert site.site_name == "The Composing Room"
    assert site.donation_url == "https://example.org/donate"
    assert site.donation_label == "Support the magazine"
    assert len(site.authors) == 4
    assert len(site.categories) == 5
    assert 12 <= len(site.tags) <= 18
    for author in site.authors:
        assert author.links
        assert all(url.startswith("https://example.org/") for _, url in author.links)


def test_there_are_at_least_forty_articles(site):
    assert len(site.articles) >= 40


def test_pages_are_about_disclaimer_and_contact(site):
    assert [p.slug for p in site.pages] == ["about", "disclaimer", "contact"]
    assert by_slug(site, FLAGSHIP)  # articles and pages are separate namespaces
    assert next(p for p in site.pages if p.slug == "disclaimer").title == (
        "Legal disclaimer"
    )


def test_every_slug_is_unique(site):
    for items in (site.articles, site.authors, site.categories, site.tags, site.pages):
        slugs = [item.slug for item in items]
        assert len(slugs) == len(set(slugs))
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_articles_point_only_at_known_authors_categories_and_tags(site):
    authors = {a.slug for a in site.authors}
    categories = {c.slug for c in site.categories}
    tags = {t.slug for t in site.tags}
    for article in site.articles:
        assert 1 <= len(article.author_slugs) <= 2
        assert set(article.author_slugs) <= authors
        assert 1 <= len(article.category_slugs) <= 2
        assert set(article.category_slugs) <= categories
        assert 1 <= len(article.tag_slugs) <= 3
        assert set(article.tag_slugs) <= tags
    assert sum(len(a.author_slugs) == 2 for a in site.articles) >= 3
    assert sum(len(a.category_slugs) == 2 for a in site.articles) >= 2


def test_articles_are_spread_over_eighteen_months_before_november_2026(site):
    end = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    months = Counter((a.published_at.year, a.published_at.month) for a in site.articles)
    for article in site.articles:
        assert article.published_at.utcoffset() == dt.timedelta(0)
        assert end - dt.timedelta(days=550) <= article.published_at < end
    assert len(months) >= 17


def test_the_flagship_is_long_and_heavily_noted(site):
    flagship = by_slug(site, FLAGSHIP)
    assert flagship.title == "The Long Life of Movable Type"
    assert word_count(flagship.body_markdown, include_notes=False) >= 6000
    assert len(note_definitions(flagship.body_markdown)) >= 40


def test_the_flagship_notes_exercise_every_feature(site):
    body = by_slug(site, FLAGSHIP).body_markdown
    notes = note_definitions(body)
    counts = Counter(references(body))
    assert sum(n > 1 for n in counts.values()) >= 3
    assert any("\n\n    " in text for text in notes.values())  # multi-paragraph
    assert any(re.search(r"^    - ", t, re.M) for t in notes.values())  # a list
    assert any(re.search(r"^    > ", t, re.M) for t in notes.values())  # a quote
    first_seen = list(dict.fromkeys(references(body)))
    assert list(notes) != first_seen  # defined in a different order


def test_at_least_four_other_articles_are_long_and_noted(site):
    long = [a for a in long_articles(site) if a.slug != FLAGSHIP]
    assert len(long) >= 4
    for article in long:
        assert article.body_markdown.count("\n## ") >= 5


def test_short_articles_stay_between_400_and_1500_words(site):
    short = [a for a in site.articles if word_count(a.body_markdown) <= 1500]
    assert len(short) >= 20
    for article in short:
        assert word_count(article.body_markdown) >= 400
        assert len(note_definitions(article.body_markdown)) <= 5


def test_bodies_use_headings_quotes_lists_tables_and_emphasis(site):
    bodies = "\n".join(a.body_markdown for a in site.articles)
    assert "\n### " in bodies
    assert "\n> " in bodies
    assert "\n- " in bodies
    assert "\n| ---: |" in bodies
    assert re.search(r"\*[a-z][^*\n]*\*", bodies)


def test_every_note_reference_is_defined_and_every_definition_referenced(site):
    for article in site.articles:
        body = article.body_markdown
        labels = DEFINITION.findall(body)
        assert len(labels) == len(set(labels)), article.slug
        assert set(references(body)) == set(labels), article.slug
        assert body.count("[^") == len(references(body)) + len(labels), article.slug


def test_one_article_is_a_republication(site):
    republished = [a for a in site.articles if a.source]
    assert len(republished) == 1
    source = republished[0].source
    assert source.venue == "The Compositor's Quarterly"
    assert source.url.startswith("https://example.org/")


def test_building_the_demo_site_is_fast():
    started = time.perf_counter()
    build_demo_site()
    assert time.perf_counter() - started < 1.0


def test_every_demo_article_renders_without_problems(site):
    rendering = pytest.importorskip("broadsheet.rendering")
    for article in site.articles:
        assert rendering.render(article.body_markdown).problems == (), article.slug
    for page in site.pages:
        assert rendering.render(page.body_markdown).problems == (), page.slug


def test_build_corpus_yields_n_deterministic_articles():
    first = list(build_corpus(25, seed=3, words=500, notes=4))
    assert len(first) == 25
    assert first == list(build_corpus(25, seed=3, words=500, notes=4))
    assert first != list(build_corpus(25, seed=4, words=500, notes=4))
    assert len({a.slug for a in first}) == 25
    assert list(build_corpus(10, seed=3, words=500, notes=4)) == first[:10]
    assert all(a.published_at.tzinfo is dt.UTC for a in first)


def test_build_corpus_articles_have_the_requested_size_and_notes():
    for article in build_corpus(10, seed=5, words=1200, notes=6):
        words = word_count(article.body_markdown, include_notes=False)
        assert 1200 <= words <= 1500
        assert len(note_definitions(article.body_markdown)) == 6
        assert set(references(article.body_markdown)) == set(
            note_definitions(article.body_markdown)
        )


def test_build_corpus_uses_only_its_own_taxonomy():
    authors, categories, tags = build_corpus_taxonomy(9)
    slugs = {a.slug for a in authors}, {c.slug for c in categories}
    for article in build_corpus(30, seed=9):
        assert set(article.author_slugs) <= slugs[0]
        assert set(article.category_slugs) <= slugs[1]
        assert set(article.tag_slugs) <= {t.slug for t in tags}
