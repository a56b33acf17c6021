"""`broadsheet check` on the bibliography: uncited works, locators past the pages."""

from __future__ import annotations

import pytest

from broadsheet.content.services import store_citations
from broadsheet.publishing.integrity import content_problems, source_problems
from broadsheet.sources.models import Work
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def make_work(key: str, **csl) -> Work:
    record = {"type": "article-journal", "title": key.title(), "issued": {
        "date-parts": [[1990]]}, **csl}  # fmt: skip
    return Work.objects.create(key=key, csl=record)


def test_check_reports_works_never_cited_and_pages_outside_the_range():
    make_work("inked", page="201-30")
    make_work("idle")
    article = make_article(body="Cited [@inked, p. 250] and [@inked, p. 210].\n")
    store_citations(article)

    problems = [str(p) for p in source_problems()]

    assert problems == [
        "work idle: is never cited",
        f"article {article.slug}: cites @inked at page 250, outside its pages 201-230",
    ]


def test_check_reports_unknown_citation_keys_in_stored_articles():
    article = make_article(body="Fine.\n", status="draft")
    article.body = "See [@missing].\n"
    article.save()

    messages = [str(p) for p in content_problems()]

    assert any("@missing" in m and article.slug in m for m in messages)
