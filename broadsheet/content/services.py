"""Acts on content that touch more than one field or row: rendering and saving."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction

from broadsheet import rendering
from broadsheet.content.models import (
    Article,
    ArticleAuthor,
    Author,
    Citation,
    Page,
    SiteSettings,
)
from broadsheet.media.models import ImageLookup
from broadsheet.sources import styles
from broadsheet.sources.models import Work, WorkLookup


def citation_style() -> str:
    """Return the path of the CSL style chosen in SiteSettings."""
    return str(styles.style_path(SiteSettings.load().citation_style))


def render_source(source: str) -> rendering.RenderedDocument:
    """Render article or page Markdown against the site bibliography, style and
    media library."""
    return rendering.render(
        source,
        works=WorkLookup(),
        style=citation_style(),
        images=ImageLookup(),
        budget_seconds=settings.BROADSHEET_RENDER_BUDGET_SECONDS,
    )


def render_article(article: Article) -> rendering.RenderedDocument:
    """Render an article's Markdown and store the result on the instance.

    The rendered fields are set without saving; the article's Citation rows are
    replaced when it already has a primary key (else call store_citations()
    after the first save).
    """
    document = render_source(article.body)
    article.apply_rendering(document, version=rendering.PIPELINE_VERSION)
    article.rendered_citations = document.citations
    article.rendered_document = document  # for callers wanting its notes and uses
    if article.pk is not None:
        store_citations(article, document.citations)
    return document


@transaction.atomic
def store_citations(
    article: Article,
    citations: Iterable[rendering.CitationUse] | None = None,
    *,
    new: bool = False,
) -> list[Citation]:
    """Replace an article's Citation rows with the citations of its rendering.

    `new`: the article was just created, so it has no rows to delete (a query
    saved per article in an import of thousands)."""
    if citations is None:
        citations = getattr(article, "rendered_citations", ())
    citations = list(citations)
    # Only the works cited: an article citing none (most imported posts) reads
    # nothing, and a big bibliography is not read whole for every article saved.
    keys = {use.key for use in citations}
    ids = (
        dict(Work.objects.filter(key__in=keys).values_list("key", "pk")) if keys else {}
    )
    rows: dict[tuple[str, str, str], Citation] = {}
    for use in citations:
        if use.key not in ids:
            continue
        row = rows.get((use.key, use.label, use.locator))
        if row is None:
            rows[(use.key, use.label, use.locator)] = Citation(
                article=article,
                work_id=ids[use.key],
                label=use.label,
                locator=use.locator,
                count=1,
                passages=[{"anchor": use.anchor, "text": use.passage}],
            )
        else:
            row.count += 1
            row.passages.append({"anchor": use.anchor, "text": use.passage})
    if not new:
        Citation.objects.filter(article=article).delete()
    return Citation.objects.bulk_create(rows.values())


def render_page(page: Page) -> rendering.RenderedDocument:
    """Render a static page's Markdown onto the instance (no save)."""
    document = render_source(page.body)
    page.apply_rendering(document, version=rendering.PIPELINE_VERSION)
    return document


def render_biography(text: str) -> rendering.RenderedDocument:
    """Render a biography's Markdown: no bibliography, so no citations."""
    return rendering.render(
        text, budget_seconds=settings.BROADSHEET_RENDER_BUDGET_SECONDS
    )


def render_bio(author: Author) -> rendering.RenderedDocument:
    """Render an author's Markdown biography onto the instance (no save)."""
    document = render_biography(author.bio)
    author.bio_html = document.html
    return document


@transaction.atomic
def set_byline(
    article: Article, authors: Iterable[Author], *, new: bool = False
) -> None:
    """Replace an article's byline with `authors`, in the given order; `new` as
    for store_citations()."""
    if not new:
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
    "bibliography_html",
    "toc",
    "word_count",
    "note_count",
    "reading_minutes",
    "auto_excerpt",
    "render_problems",
    "pipeline_version",
]
