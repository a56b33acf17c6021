"""Content integrity report behind `broadsheet check`: what would break or mislead."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from broadsheet import rendering
from broadsheet.content.models import Article, Author, Page


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
        for problem in rendering.render(page.body).problems:
            yield IntegrityProblem(subject, str(problem))
    for author in Author.objects.iterator():
        for problem in rendering.render(author.bio).problems:
            yield IntegrityProblem(f"author {author.slug} bio", str(problem))


def _article_problems(article: Article) -> Iterator[IntegrityProblem]:
    subject = f"article {article.slug} ({article.get_status_display().lower()})"
    for problem in rendering.render(article.body).problems:
        yield IntegrityProblem(subject, str(problem))
    if article.pipeline_version != rendering.PIPELINE_VERSION:
        yield IntegrityProblem(
            subject, "stored rendering is out of date; run `broadsheet rerender`"
        )
    if article.status != Article.Status.DRAFT:
        if not article.ordered_authors:
            yield IntegrityProblem(subject, "published without an author")
        if article.published_at is None:
            yield IntegrityProblem(subject, "published without a publication time")
