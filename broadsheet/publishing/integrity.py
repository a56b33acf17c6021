"""Content integrity report behind `broadsheet check`: what would break or mislead."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from broadsheet import rendering
from broadsheet.content import services as content_services
from broadsheet.content.models import LIVE_STATUSES, Article, Author, Citation, Page
from broadsheet.sources.models import Work


@dataclass(frozen=True)
class IntegrityProblem:
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def content_problems() -> Iterator[IntegrityProblem]:
    """Yield every integrity problem in stored content, article by article."""
    for article in Article.objects.with_bylines().iterator(chunk_size=500):
        yield from _article_problems(article)
    for page in Page.objects.iterator():
        subject = f"page /{page.slug}/"
        for problem in content_services.render_source(page.body).problems:
            yield IntegrityProblem(subject, str(problem))
    for author in Author.objects.iterator():
        for problem in rendering.render(author.bio).problems:
            yield IntegrityProblem(f"author {author.slug} bio", str(problem))
    yield from source_problems()


def _article_problems(article: Article) -> Iterator[IntegrityProblem]:
    subject = f"article {article.slug} ({article.get_status_display().lower()})"
    for problem in content_services.render_source(article.body).problems:
        yield IntegrityProblem(subject, str(problem))
    if article.pipeline_version != rendering.PIPELINE_VERSION:
        yield IntegrityProblem(
            subject, "stored rendering is out of date; run `broadsheet rerender`"
        )
    if article.status in LIVE_STATUSES:
        if not article.ordered_authors:
            yield IntegrityProblem(subject, "published without an author")
        if article.published_at is None:
            yield IntegrityProblem(subject, "published without a publication time")


def source_problems() -> Iterator[IntegrityProblem]:
    """Yield works never cited, and page locators outside a work's page range."""
    for work in Work.objects.filter(citations__isnull=True).order_by("key"):
        yield IntegrityProblem(f"work {work.key}", "is never cited")
    citations = Citation.objects.filter(label="page").select_related("article", "work")
    for citation in citations.order_by("work__key", "article__slug"):
        pages = citation.work.page_range
        if pages is None:
            continue
        for bound in _page_numbers(citation.locator):
            if not pages[0] <= bound <= pages[1]:
                yield IntegrityProblem(
                    f"article {citation.article.slug}",
                    f"cites @{citation.work.key} at page {citation.locator}, outside "
                    f"its pages {pages[0]}-{pages[1]}",
                )
                break


def _page_numbers(locator: str) -> list[int]:
    return [int(number) for number in re.findall(r"\d+", locator)]
