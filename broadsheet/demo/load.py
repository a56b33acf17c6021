"""Turn the generated demo site into database rows, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db import transaction

from broadsheet.content import services as content_services
from broadsheet.content.models import (
    Article,
    Author,
    AuthorLink,
    Category,
    Page,
    Republication,
    SiteSettings,
    Tag,
)
from broadsheet.demo.corpus import FLAGSHIP, ArticleSpec, DemoSite, build_demo_site
from broadsheet.demo.pictures import make_pictures
from broadsheet.media.models import Image
from broadsheet.publishing.services import save_article
from broadsheet.sources.formats import csljson
from broadsheet.sources.services import import_works

Progress = Callable[[Iterable[ArticleSpec], int], Iterator[ArticleSpec]]
PICTURED = 6  # the flagship and the newest articles get a featured image


@transaction.atomic
def load_demo_site(
    site: DemoSite | None = None, *, progress: Progress | None = None
) -> dict[str, int]:
    """Create the demo site's rows; every article is published through the service."""
    site = site or build_demo_site()
    works = import_works(csljson.dump(site.works), filename="demo-bibliography.json")
    authors = {spec.slug: _create_author(spec) for spec in site.authors}
    categories = {
        spec.slug: Category.objects.create(
            name=spec.name, slug=spec.slug, description=spec.description
        )
        for spec in site.categories
    }
    tags = {
        spec.slug: Tag.objects.create(name=spec.name, slug=spec.slug)
        for spec in site.tags
    }
    pages = {spec.slug: _create_page(spec) for spec in site.pages}
    _save_settings(site, pages.values())
    # The flagship leads the front page (sticky) although it is not the newest.
    flagship = [spec.slug for spec in site.articles if spec.title == FLAGSHIP[0]]
    newest = sorted(site.articles, key=lambda spec: spec.published_at, reverse=True)
    pictured = [*flagship, *(s.slug for s in newest if s.slug not in flagship)]
    pictures = dict(zip(pictured, make_pictures(PICTURED), strict=False))
    specs: Iterable[ArticleSpec] = site.articles
    if progress:
        specs = progress(site.articles, len(site.articles))
    for spec in specs:
        create_article(
            spec,
            authors=authors,
            categories=categories,
            tags=tags,
            featured_image=pictures.get(spec.slug),
            sticky=spec.slug in flagship,
        )
    return {
        "articles": len(site.articles),
        "authors": len(authors),
        "categories": len(categories),
        "tags": len(tags),
        "pages": len(pages),
        "works": works.added,
        "images": len(pictures),
    }


def create_article(
    spec: ArticleSpec,
    *,
    authors: dict[str, Author],
    categories: dict[str, Category],
    tags: dict[str, Tag],
    status: str = Article.Status.PUBLISHED,
    featured_image: Image | None = None,
    sticky: bool = False,
) -> Article:
    """Create and publish one article from its spec (raises PublishRefused)."""
    article = Article(
        title=spec.title,
        subtitle=spec.subtitle,
        slug=spec.slug,
        body=spec.body_markdown,
        excerpt=spec.excerpt,
        status=status,
        published_at=spec.published_at,
        featured_image=featured_image,
        sticky=sticky,
    )
    save_article(
        article,
        authors=[authors[slug] for slug in spec.author_slugs],
        now=spec.published_at,
    )
    article.categories.set([categories[slug] for slug in spec.category_slugs])
    article.tags.set([tags[slug] for slug in spec.tag_slugs])
    if spec.source:
        Republication.objects.create(
            article=article,
            original_title=spec.source.title,
            venue=spec.source.venue,
            volume_issue=spec.source.volume_issue,
            date=spec.source.date,
            pages=spec.source.pages,
            url=spec.source.url,
        )
    return article


def _create_author(spec) -> Author:
    author = Author(name=spec.name, slug=spec.slug, bio=spec.bio_markdown)
    content_services.render_bio(author)
    author.save()
    AuthorLink.objects.bulk_create(
        AuthorLink(author=author, label=label, url=url, position=position)
        for position, (label, url) in enumerate(spec.links)
    )
    return author


def _create_page(spec) -> Page:
    page = Page(title=spec.title, slug=spec.slug, body=spec.body_markdown)
    content_services.render_page(page)
    page.save()
    return page


def _save_settings(site: DemoSite, pages: Iterable[Page]) -> None:
    settings = SiteSettings.load()
    settings.site_name = site.site_name
    settings.tagline = site.tagline
    settings.footer_text = site.footer_text
    settings.donation_url = site.donation_url
    settings.donation_label = site.donation_label
    settings.save()
    settings.footer_pages.set(pages)
