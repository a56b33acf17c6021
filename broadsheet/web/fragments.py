"""Article page fragments: rendered once per change of what they show, not per request.

An uncached article page used to cost about ten queries and a 70 KB Django
template (~20 ms). Its parts that depend only on the article itself are kept
rendered in web.models.ArticleFragments; the receivers below delete them inside
the transaction of any change to what they show (web.fragment_staleness), so a
reader never sees a stale fragment, and the next request renders them again.
See docs/decisions/0006-article-fragments.md.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.template import loader
from django.utils.safestring import SafeString, mark_safe

from broadsheet.content.models import (
    Article,
    Republication,
    SiteSettings,
    live_params,
    live_sql,
)
from broadsheet.web.models import ArticleFragments
from broadsheet.web.storage_refusals import storage_refusal

logger = logging.getLogger(__name__)

# The view count changes between readers: the stored header keeps this marker.
VIEWS_MARKER = "<!--broadsheet:views-->"
_VIEWS_MARKER_BYTES = VIEWS_MARKER.encode()
TEMPLATES = {
    "head_html": "web/fragments/head.html",
    "header_html": "web/fragments/header.html",
    "main_html": "web/fragments/main.html",
    "card_html": "web/_article_card.html",
}
INCLUDED_TEMPLATES = (
    "web/_byline.html",
    "web/_works_cited.html",
    "web/_cite_this.html",
    "web/_featured_image.html",
)


def version() -> str:
    """Identify the templates and site address fragments were rendered with.

    A deploy that changes a fragment template (or the site's address, which
    canonical links carry) makes every stored fragment stale without a migration.
    """
    return _templates_digest() + "-" + _address_digest(settings.BROADSHEET_SITE_URL)


@functools.cache
def _templates_digest() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in (*TEMPLATES.values(), *INCLUDED_TEMPLATES):
        digest.update(Path(loader.get_template(name).origin.name).read_bytes())
    return digest.hexdigest()


@functools.cache
def _address_digest(site_url: str) -> str:
    return hashlib.blake2b(site_url.encode(), digest_size=7).hexdigest()


def render_fragments(
    article: Article, *, is_preview: bool = False, site: SiteSettings | None = None
) -> ArticleFragments:
    """Render an article's fragments (unsaved); previews render them for staff."""
    authors = article.ordered_authors
    tags = list(article.tags.all())
    categories = list(article.categories.all())
    context = {
        "article": article,
        "authors": authors,
        "tags": tags,
        "categories": categories,
        "republication": _republication(article),
        "site": site or SiteSettings.load(),
        "is_preview": is_preview,
        "show_toc": len(article.toc) >= 3,
        "views_marker": mark_safe(VIEWS_MARKER),  # noqa: S308 - a fixed comment
    }
    rendered = {
        field: loader.render_to_string(name, context)
        for field, name in TEMPLATES.items()
    }
    return ArticleFragments(
        article=article,
        version=version(),
        title=article.title,
        summary=article.summary,
        author_ids=[author.pk for author in authors],
        tag_ids=[tag.pk for tag in tags],
        category_ids=[category.pk for category in categories],
        **rendered,
    )


@dataclasses.dataclass(frozen=True)
class Card:
    """What a list needs of an article: its stored card, its byline's authors and
    the categories its kicker names (a rename of either retires the page)."""

    article_id: int
    html: str
    author_ids: list[int]
    category_ids: list[int] = dataclasses.field(default_factory=list)


def cards_for(article_ids: Iterable[int]) -> list[Card]:
    """Return the cards of these articles in the given order, rendering missing ones.

    Reads only the card columns: an article's full fragments are ~100 KB.
    """
    ids = list(article_ids)
    if not ids:
        return []
    marks = ", ".join(f"%(a{n})s" for n in range(len(ids)))
    sql = (
        f"SELECT article_id, card_html, author_ids, category_ids FROM {_TABLE}"
        f" WHERE version = %(version)s AND article_id IN ({marks})"
    )
    params = {"version": version()} | {f"a{n}": pk for n, pk in enumerate(ids)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {
            row[0]: Card(row[0], row[1], _json(row[2]), _json(row[3])) for row in cursor
        }
    missing = [pk for pk in ids if pk not in found]
    for pk, rendered in _render_and_store(missing).items() if missing else ():
        found[pk] = Card(
            pk, rendered.card_html, rendered.author_ids, rendered.category_ids
        )
    return [found[pk] for pk in ids if pk in found]


@dataclasses.dataclass(frozen=True)
class ArticlePage:
    """A live article's stored fragments as the article page needs them.

    The large parts stay UTF-8 bytes from the database to the socket: decoding and
    re-encoding 80 KB of text with curly quotes cost more than the query.
    """

    article_id: int
    updated_at: datetime.datetime
    title: str
    summary: str
    head: bytes
    header: bytes
    main: bytes
    author_ids: list[int]
    tag_ids: list[int]
    category_ids: list[int]

    @classmethod
    def of(cls, fragments: ArticleFragments, updated_at: datetime.datetime):
        return cls(
            fragments.article_id,
            updated_at,
            fragments.title,
            fragments.summary,
            fragments.head_html.encode(),
            fragments.header_html.encode(),
            fragments.main_html.encode(),
            fragments.author_ids,
            fragments.tag_ids,
            fragments.category_ids,
        )


def live_article(slug: str, now: datetime.datetime) -> ArticlePage | None:
    """Find a live article by slug with its fragments (rendering them if missing).

    One query when the fragments are current; None when no live article has this
    slug.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _live_article_sql(connection.vendor),
            {"version": version(), "slug": slug, **live_params(now)},
        )
        row = cursor.fetchone()
    if row is None:
        return None
    article_id, updated_at, stored = row[0], as_datetime(row[1]), row[2]
    if stored is None:
        rendered = _render_and_store([article_id])[article_id]
        return ArticlePage.of(rendered, updated_at)
    title, summary, head, header, main, authors, tags, categories = row[3:]
    return ArticlePage(
        article_id, updated_at, title, summary, bytes(head), bytes(header),
        bytes(main), _json(authors), _json(tags), _json(categories),
    )  # fmt: skip


# Raw SQL: on the uncached article page the ORM's query building cost several
# times the queries themselves (see docs/decisions/0006-article-fragments.md).
# Named placeholders: Django's SQLite backend turns positional %s into ? with a
# regex scan of the whole statement on every execute (7 % of an uncached article
# page's instructions for its four queries); named ones go through plain %
# formatting, and PostgreSQL takes them as they are.
_TABLE = ArticleFragments._meta.db_table


@functools.cache
def _live_article_sql(vendor: str) -> str:
    def as_bytes(column: str) -> str:
        if vendor == "postgresql":
            return f"convert_to({column}, 'UTF8')"
        return f"CAST({column} AS BLOB)"

    large = [
        as_bytes(f"f.{name}") for name in ("head_html", "header_html", "main_html")
    ]
    columns = ", ".join(
        ["f.article_id", "f.title", "f.summary", *large]
        + ["f.author_ids", "f.tag_ids", "f.category_ids"]
    )
    return (
        f"SELECT a.id, a.updated_at, {columns} FROM {Article._meta.db_table} a"
        f" LEFT JOIN {_TABLE} f ON f.article_id = a.id AND f.version = %(version)s"
        f" WHERE a.slug = %(slug)s AND {live_sql('a')}"
    )


def as_datetime(value: str | datetime.datetime) -> datetime.datetime:
    if isinstance(value, str):  # SQLite: naive UTC text
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _json(value: str | list) -> list:
    return json.loads(value) if isinstance(value, str) else value  # SQLite: text


def missing_live_ids() -> list[int]:
    """Ids of the live articles whose fragments are missing or stale, in order."""
    # Two index-only reads and a set difference: as one NOT IN query, SQLite read
    # every article row instead (0.4 s on 10,000 articles, cold).
    live = Article.objects.live().order_by().values_list("pk", flat=True)
    current = ArticleFragments.objects.filter(version=version())
    return sorted(set(live) - set(current.values_list("article_id", flat=True)))


def render_missing(article_ids: Iterable[int], *, batch: int = 100) -> int:
    """Render and store the fragments these articles lack; return how many.

    In batches: one query per relation and one upsert for a hundred articles cost a
    third of rendering them one by one, as the first reader of each would.
    """
    ids = list(article_ids)
    current = set(
        ArticleFragments.objects.filter(
            article_id__in=ids, version=version()
        ).values_list("article_id", flat=True)
    )
    missing = [pk for pk in ids if pk not in current]
    for start in range(0, len(missing), batch):
        _render_and_store(missing[start : start + batch])
    return len(missing)


def _render_and_store(article_ids: list[int]) -> dict[int, ArticleFragments]:
    articles = (
        Article.objects.filter(pk__in=article_ids)
        .with_bylines()
        .select_related("republication", "featured_image")
        .prefetch_related("tags", "categories")
    )
    site = SiteSettings.load()
    rendered = [render_fragments(article, site=site) for article in articles]
    try:
        with transaction.atomic():  # a savepoint inside a transaction
            # Two workers may render the same article at once: the second write
            # wins, with identical content.
            ArticleFragments.objects.bulk_create(
                rendered,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=[
                    f.name
                    for f in ArticleFragments._meta.concrete_fields
                    if not f.primary_key
                ],
            )
    except DatabaseError as error:
        if storage_refusal(error) is None:
            raise
        # A full or read-only database still has its pages to show: sent unkept.
        logger.warning("Fragments of articles %s not kept: %s", article_ids, error)
    return {fragments.article_id: fragments for fragments in rendered}


def header_with_views(header: str, views: int, shown_from: int) -> SafeString:
    """The stored article header with the view count filled in (see views_meta)."""
    filled = header.replace(VIEWS_MARKER, views_meta(views, shown_from), 1)
    return mark_safe(filled)  # noqa: S308 - stored fragment and a number


def header_bytes_with_views(header: bytes, views: int, shown_from: int) -> bytes:
    return header.replace(_VIEWS_MARKER_BYTES, views_meta(views, shown_from).encode())


def views_meta(views: int, shown_from: int) -> str:
    """The view count as the header's last item; nothing below the site's
    threshold (SiteSettings.views_shown_from), where "0 views" only says "new"."""
    text = views_text(views, shown_from)
    if not text:
        return ""
    separator = '<span class="sep" aria-hidden="true">·</span>'
    return f' {separator} <span class="view-count">{text}</span>'


def views_text(views: int, shown_from: int) -> str:
    """ "1 view", "12 views"; empty below the threshold."""
    if views < shown_from:
        return ""
    return f"{views} view{'' if views == 1 else 's'}"


def card_at_level(card: Card, level: int) -> SafeString:
    """A stored card (an h2 title) as it sits under a heading of `level - 1`."""
    html = card.html
    if level != 2:
        html = html.replace('<h2 class="card-title">', f'<h{level} class="card-title">')
        html = html.replace("</h2>", f"</h{level}>", 1)
    return mark_safe(html)  # noqa: S308 - rendered from a template


def _republication(article: Article) -> Republication | None:
    try:
        return article.republication
    except Republication.DoesNotExist:
        return None
