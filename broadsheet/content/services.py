"""Acts on content that touch more than one field or row: rendering and saving."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from broadsheet import rendering
from broadsheet.content.models import Article, ArticleAuthor, Author, Page


class ContentProblem(Exception):
    """Raised when source text has rendering problems that block the requested act."""

    def __init__(self, subject: str, problems: Iterable[object]) -> None:
        self.subject = subject
        self.problems = [str(problem) for problem in problems]
        super().__init__(f"{subject}: " + "; ".join(self.problems))


def render_article(article: Article) -> rendering.RenderedDocument:
    """Render an article's Markdown and store the result on the instance (no save)."""
    document = rendering.render(article.body)
    article.apply_rendering(document, version=rendering.PIPELINE_VERSION)
    return document


def render_page(page: Page) -> rendering.RenderedDocument:
    """Render a static page's Markdown onto the instance (no save)."""
    document = rendering.render(page.body)
    page.apply_rendering(document, version=rendering.PIPELINE_VERSION)
    return document


def render_bio(author: Author) -> rendering.RenderedDocument:
    """Render an author's Markdown biography onto the instance (no save)."""
    document = rendering.render(author.bio)
    author.bio_html = document.html
    return document


@transaction.atomic
def set_byline(article: Article, authors: Iterable[Author]) -> None:
    """Replace an article's byline with `authors`, in the given order."""
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, position=position)
        for position, author in enumerate(authors)
    )


def stale_documents() -> Iterator[Article | Page | Author]:
    """Yield every stored document whose rendering must be redone."""
    yield from Article.objects.iterator()
    yield from Page.objects.iterator()
    yield from Author.objects.iterator()


def rerender(obj: Article | Page | Author) -> list[str]:
    """Re-render one stored document and save only its rendered fields."""
    if isinstance(obj, Author):
        document = render_bio(obj)
        obj.save(update_fields=["bio_html"])
        return [str(p) for p in document.problems]
    document = render_article(obj) if isinstance(obj, Article) else render_page(obj)
    obj.save(update_fields=RENDERED_FIELDS)
    return [str(p) for p in document.problems]


RENDERED_FIELDS = [
    "body_html",
    "notes_html",
    "toc",
    "word_count",
    "note_count",
    "reading_minutes",
    "auto_excerpt",
    "render_problems",
    "pipeline_version",
]
