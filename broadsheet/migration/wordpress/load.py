"""Load a WordPress export into content, in one transaction, through publishing.

Posts become articles saved by `publishing.services.save_article`, so rendering,
the refusal of problems and cache invalidation happen as for any editor's save;
pages become pages, rendered as the back office renders them. A published post
that cannot go live (a note problem, no author, a password) is imported as a
draft and the report says why. `migration.ImportedItem` remembers what each
post became, so running the same export again updates instead of doubling.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.content import services as content_services
from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.migration.models import ImportedItem
from broadsheet.migration.report import ImportReport, ItemLine
from broadsheet.migration.wordpress.convert import Conversion, convert_post, plain_text
from broadsheet.migration.wordpress.counts import keep_views, view_count
from broadsheet.migration.wordpress.wxr import (
    WxrAuthor,
    WxrItem,
    WxrSite,
    WxrTerm,
    read_wxr,
)
from broadsheet.publishing.services import PublishRefused, save_article

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
NOT_IMPORTED_STATUSES = ("trash", "auto-draft", "inherit")
ZERO_DATE = "0000-00-00 00:00:00"
SLUG_LENGTH = 190  # Article.slug holds 200; room for a "-2" suffix


def import_wordpress(
    path: Path, *, dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Import a WXR export file in one transaction and return the report.

    With dry_run everything is done and reported, then rolled back. Raises
    WxrParseError (and imports nothing) for a file that cannot be read.
    """
    return WordPressImport(path, dry_run=dry_run, progress=progress).run()


class WordPressImport:
    """One run of an export into the site: the records loaded and the report."""

    def __init__(
        self,
        path: Path,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.path = path
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.source = ""
        self.authors: dict[str, Author] = {}
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self.parents: list[tuple[str, str]] = []
        self.other_taxonomies: set[str] = set()
        self.now = timezone.now()

    def run(self) -> ImportReport:
        with self.path.open("rb") as stream, transaction.atomic():
            reader = read_wxr(stream, filename=self.path.name)
            for record in reader:
                self.load(record)
                if self.progress:
                    self.progress(reader.position)
            self.finish()
            if self.report.dry_run:
                transaction.set_rollback(True)
        return self.report

    def load(self, record: WxrSite | WxrAuthor | WxrTerm | WxrItem) -> None:
        if isinstance(record, WxrSite):
            self.source = self.report.source = record.address
        elif isinstance(record, WxrAuthor):
            self.authors[record.login] = self.author(record)
        elif isinstance(record, WxrTerm):
            self.term(record)
        elif isinstance(record, WxrItem):
            self.report.comments_skipped += record.comments
            if record.status in NOT_IMPORTED_STATUSES:
                self.report.skipped[f"{record.post_type} ({record.status})"] += 1
            elif record.post_type == "post":
                self.article(record)
            elif record.post_type == "page":
                self.page(record)
            else:
                self.report.skipped[record.post_type] += 1

    def finish(self) -> None:
        if self.parents:
            pairs = ", ".join(
                f"{child} under {parent}" for child, parent in self.parents
            )
            self.report.warn(
                "categories have no parents in Broadsheet: the WordPress hierarchy"
                f" was flattened ({pairs})"
            )
        for taxonomy in sorted(self.other_taxonomies):
            self.report.warn(f"terms of the {taxonomy!r} taxonomy were not imported")

    # Authors and terms: matched by slug, so a re-run and an existing site reuse them.

    def author(self, record: WxrAuthor) -> Author:
        name = plain_text(record.display_name) or record.login
        slug = _slug(record.login) or _slug(name) or f"author-{len(self.authors) + 1}"
        author = (
            Author.objects.filter(slug=slug).first()
            or Author.objects.filter(name=name).first()
        )
        if author is not None:
            self.report.count("authors matched")
            return author
        author = Author(name=name, slug=slug)
        content_services.render_bio(author)
        author.save()
        self.report.count("authors created")
        return author

    def term(self, record: WxrTerm) -> None:
        if record.taxonomy == "category":
            self.category(record.slug, record.name, record.description)
            if record.parent:
                self.parents.append((_slug(record.slug), _slug(record.parent)))
        elif record.taxonomy == "post_tag":
            self.tag(record.slug, record.name)
        else:
            self.other_taxonomies.add(record.taxonomy)

    def category(self, raw_slug: str, raw_name: str, description: str = "") -> Category:
        slug = _slug(raw_slug) or _slug(plain_text(raw_name)) or "category"
        if slug not in self.categories:
            category, created = Category.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": plain_text(raw_name) or slug,
                    "description": plain_text(description),
                },
            )
            self.report.count("categories created" if created else "categories matched")
            self.categories[slug] = category
        return self.categories[slug]

    def tag(self, raw_slug: str, raw_name: str) -> Tag:
        slug = _slug(raw_slug) or _slug(plain_text(raw_name)) or "tag"
        if slug not in self.tags:
            tag, created = Tag.objects.get_or_create(
                slug=slug, defaults={"name": plain_text(raw_name) or slug}
            )
            self.report.count("tags created" if created else "tags matched")
            self.tags[slug] = tag
        return self.tags[slug]

    def byline(self, item: WxrItem, label: str) -> list[Author]:
        if not item.creator:
            return []
        if item.creator not in self.authors:
            self.report.warn(f"{label}: author {item.creator!r} is not in the export")
            self.authors[item.creator] = self.author(
                WxrAuthor(item.creator, item.creator, "", "", item.line)
            )
        return [self.authors[item.creator]]

    # Posts and pages.

    def article(self, item: WxrItem) -> None:
        title = plain_text(item.title) or f"Untitled (WordPress post {item.wp_id})"
        label = f"post {item.wp_id} \u201c{title}\u201d"
        usable, imported = self.previous(item, label)
        if not usable:
            return
        article = imported.article if imported else Article()
        conversion = self.convert(item, label)
        article.title = title
        article.body = conversion.markdown
        article.excerpt = plain_text(item.excerpt)
        if article.pk is None:
            article.slug = self.free_slug(Article, item, title, label)
        article.status, article.published_at = self.status(item, label)
        authors = self.byline(item, label)
        try:
            problems = save_article(article, authors=authors, now=self.now)
        except PublishRefused as refused:
            self.report.drafted.append(ItemLine(label, "; ".join(refused.problems)))
            article.status = Article.Status.DRAFT
            problems = save_article(article, authors=authors, now=self.now)
        for problem in problems:
            self.report.problems.append(ItemLine(label, problem))
        article.categories.set(self.item_terms(item, "category"))
        article.tags.set(self.item_terms(item, "post_tag"))
        self.report.count("posts updated" if imported else "posts created")
        imported = self.remember(imported, item, article=article)
        count, unreadable = view_count(item)
        for key, raw in unreadable:
            self.report.warn(f"{label}: view count {key}={raw!r} is not a number")
        keep_views(article, imported, count, now=self.now)
        self.report.count("views kept", count)
        _release_text(article)

    def page(self, item: WxrItem) -> None:
        title = plain_text(item.title) or f"Untitled (WordPress page {item.wp_id})"
        label = f"page {item.wp_id} \u201c{title}\u201d"
        usable, imported = self.previous(item, label)
        if not usable:
            return
        page = imported.page if imported else Page()
        page.title = title
        page.body = self.convert(item, label).markdown
        if page.pk is None:
            page.slug = self.free_slug(Page, item, title, label)
        page.is_published = item.status == "publish" and not item.password
        if item.status == "publish" and item.password:
            self.report.drafted.append(
                ItemLine(label, "password-protected in WordPress")
            )
        elif item.status != "publish":
            self.report.drafted.append(ItemLine(label, f"{item.status} in WordPress"))
        if item.parent_id:
            self.report.warn(
                f"{label}: a child page in WordPress, a top-level page now"
            )
        document = content_services.render_page(page)
        page.save()
        for problem in document.problems:
            self.report.problems.append(ItemLine(label, str(problem)))
        if view_count(item)[0]:
            self.report.warn(f"{label}: view counts are kept for articles only")
        self.remember(imported, item, page=page)
        self.report.count("pages updated" if imported else "pages created")

    def previous(self, item: WxrItem, label: str) -> tuple[bool, ImportedItem | None]:
        """The row of an earlier import of this post, and whether to update it.

        An article or page an editor changed since that import is left alone:
        the import never overwrites what someone wrote in Broadsheet.
        """
        imported = (
            ImportedItem.objects.filter(source=self.source, wp_id=item.wp_id)
            .select_related("article", "page")
            .first()
        )
        if imported is None:
            return True, None
        if imported.wp_type != item.post_type:
            self.report.warn(
                f"{label}: imported before as a {imported.wp_type}, left as it was"
            )
            return False, imported
        if _fingerprint(imported.article or imported.page) != imported.fingerprint:
            self.report.count(f"{item.post_type}s kept (edited in Broadsheet since)")
            self.report.warn(
                f"{label}: changed in Broadsheet since the last import, kept"
            )
            return False, imported
        return True, imported

    def convert(self, item: WxrItem, label: str) -> Conversion:
        conversion = convert_post(item.content, footnotes=item.meta_value("footnotes"))
        self.report.count("notes", conversion.notes)
        for found in conversion.removed:
            self.report.shortcodes.append(ItemLine(label, found.message, found.line))
        for found in conversion.kept:
            self.report.kept_brackets.append(ItemLine(label, found.message, found.line))
        for found in conversion.problems:
            self.report.problems.append(ItemLine(label, found.message, found.line))
        for warning in conversion.warnings:
            self.report.warn(f"{label}: {warning}")
        return conversion

    def status(self, item: WxrItem, label: str) -> tuple[str, datetime.datetime | None]:
        when = self.date(item, label)
        status = STATUSES.get(item.status)
        if status is None:
            self.report.warn(f"{label}: unknown status {item.status!r}, a draft now")
            status = Article.Status.DRAFT
        if item.status in ("pending", "private"):
            self.report.drafted.append(ItemLine(label, f"{item.status} in WordPress"))
        if item.password and status != Article.Status.DRAFT:
            self.report.drafted.append(
                ItemLine(label, "password-protected in WordPress")
            )
            status = Article.Status.DRAFT
        if status != Article.Status.DRAFT and when is None:
            self.report.warn(f"{label}: no publication date; dated today")
        return status, when

    def date(self, item: WxrItem, label: str) -> datetime.datetime | None:
        if item.post_date_gmt and item.post_date_gmt != ZERO_DATE:
            parsed = _wordpress_time(item.post_date_gmt)
            if parsed is not None:
                return parsed
            self.report.warn(f"{label}: unreadable date {item.post_date_gmt!r}")
        if item.status == "draft":
            return None  # an unpublished draft's other dates are its last edit
        try:
            return email.utils.parsedate_to_datetime(item.pub_date)
        except (TypeError, ValueError):
            pass
        local = _wordpress_time(item.post_date)
        if local is not None:
            self.report.warn(f"{label}: only a local date, read as UTC")
        return local

    def free_slug(self, model, item: WxrItem, title: str, label: str) -> str:
        wanted = unquote(item.post_name) if item.post_name else title
        slug = _slug(wanted)[:SLUG_LENGTH].strip("-")
        if not slug:
            slug = f"{item.post_type}-{item.wp_id}"
            self.report.warn(f"{label}: slug {wanted!r} has no ASCII form, now {slug}")
        taken, candidate, n = model.objects.filter(slug=slug).exists(), slug, 1
        while taken:
            n += 1
            candidate = f"{slug}-{n}"
            taken = model.objects.filter(slug=candidate).exists()
        if candidate != slug:
            self.report.warn(f"{label}: slug {slug} is taken, now {candidate}")
        return candidate

    def item_terms(self, item: WxrItem, domain: str) -> list[Category] | list[Tag]:
        make = self.category if domain == "category" else self.tag
        terms = {}
        for term in item.terms:
            if term.domain == domain:
                made = make(term.slug, term.name)
                terms[made.pk] = made
            elif term.domain not in ("category", "post_tag"):
                self.other_taxonomies.add(term.domain)
        return list(terms.values())

    def remember(
        self, imported: ImportedItem | None, item: WxrItem, **target: Article | Page
    ) -> ImportedItem:
        if imported is None:
            imported = ImportedItem(source=self.source, wp_id=item.wp_id)
        imported.wp_type = item.post_type
        imported.permalink = item.link[:500]
        for name, value in target.items():
            setattr(imported, name, value)
            imported.fingerprint = _fingerprint(value)
        imported.save()
        return imported


# The stored text of an article, source and rendering: RENDERED_FIELDS minus the
# small ones, plus the source.
_TEXT_FIELDS = ("body", "body_html", "notes_html", "bibliography_html", "auto_excerpt")


def _release_text(article: Article) -> None:
    """Let go of a saved article's text until the import commits.

    save_article's announcement waits for the commit holding the instance, and
    needs only its id: ten thousand posts' text held to the end made memory grow
    with the file. A field taken out of the instance's __dict__ is deferred, as
    with QuerySet.defer(), and read again from the database if anything asks.
    """
    for name in _TEXT_FIELDS:
        article.__dict__.pop(name, None)
    article.__dict__.pop("rendered_citations", None)


def _slug(text: str) -> str:
    return slugify(unquote(text))


def _wordpress_time(text: str) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=datetime.UTC)


def _fingerprint(obj: Article | Page) -> str:
    """What an editor may change after an import: title, body and excerpt."""
    text = "\0".join([obj.title, obj.body, getattr(obj, "excerpt", "")])
    return hashlib.sha256(text.encode()).hexdigest()
