"""Explicit factories for test data: make_article(**overrides) and friends."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.content.services import render_bio, render_page
from broadsheet.publishing.services import save_article

_serial = itertools.count(1)

NOTED_BODY = """An opening paragraph about type founding and its many small
crafts.[^first]

## Casting

Hot metal was poured into a hand mould.[^second] The mould was reused.[^first]

[^first]: A note about matrices.
[^second]: A note about moulds.
"""


def make_author(**overrides) -> Author:
    n = next(_serial)
    fields = {
        "name": f"Author {n}",
        "slug": f"author-{n}",
        "bio": "Writes *about* ink.",
    }
    author = Author(**{**fields, **overrides})
    render_bio(author)
    author.save()
    return author


def make_category(**overrides) -> Category:
    n = next(_serial)
    return Category.objects.create(
        **{"name": f"Section {n}", "slug": f"section-{n}", **overrides}
    )


def make_tag(**overrides) -> Tag:
    n = next(_serial)
    return Tag.objects.create(**{"name": f"Tag {n}", "slug": f"tag-{n}", **overrides})


def make_page(**overrides) -> Page:
    n = next(_serial)
    fields = {"title": f"Page {n}", "slug": f"page-{n}", "body": "Plain *page* text."}
    page = Page(**{**fields, **overrides})
    render_page(page)
    page.save()
    return page


def make_article(
    *,
    authors: list[Author] | None = None,
    tags: list[Tag] = (),
    categories: list[Category] = (),
    **overrides,
) -> Article:
    """Create a published article (status and fields overridable) via the service."""
    n = next(_serial)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "body": NOTED_BODY,
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=n),
    }
    article = Article(**{**fields, **overrides})
    save_article(article, authors=authors if authors is not None else [make_author()])
    article.tags.set(tags)
    article.categories.set(categories)
    return article


def log_in_to_back_office(client, username: str, password: str):
    """Submit the admin login form, as a browser would; return the response."""
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )
