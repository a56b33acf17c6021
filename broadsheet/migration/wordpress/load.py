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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from django.db import transaction
from django.utils import timezone

from broadsheet.content import services as content_services
from broadsheet.content.models import LIVE_STATUSES, Article, Page
from broadsheet.migration.models import ImportedItem, fingerprint, may_update
from broadsheet.migration.report import ImportReport, ItemLine
from broadsheet.migration.wordpress.ahead import convert_item, converted_ahead
from broadsheet.migration.wordpress.convert import Conversion, plain_text
from broadsheet.migration.wordpress.counts import keep_views, view_count
from broadsheet.migration.wordpress.media import MediaLibrary
from broadsheet.migration.wordpress.oldlinks import remember_old_addresses
from broadsheet.migration.wordpress.terms import AccountMaker, Vocabulary, slug_of
from broadsheet.migration.wordpress.wxr import (
    WxrAuthor,
    WxrItem,
    WxrSite,
    WxrTerm,
    read_wxr,
)
from broadsheet.publishing import announcements, redirects
from broadsheet.publishing.services import PublishRefused, save_article

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,  # submitted for review in WordPress too
    "private": Article.Status.DRAFT,
}
NOT_IMPORTED_STATUSES = ("trash", "auto-draft", "inherit")
MOVES_BATCH = 1000  # old addresses (two a post) written at once
ZERO_DATE = "0000-00-00 00:00:00"


def import_wordpress(
    path: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    media_dir: Path | None = None,
    make_account: AccountMaker | None = None,
) -> ImportReport:
    """Import a WXR export file in one transaction and return the report.

    With dry_run everything is done and reported, then rolled back. Raises
    WxrParseError (and imports nothing) for a file that cannot be read.
    `media_dir` is the site's wp-content/uploads folder: its images enter the
    media library. `make_account(login, author, email)` gives each author a back-office
    account (the CLI passes editorial.accounts.account_for_writer).
    """
    return WordPressImport(
        path,
        dry_run=dry_run,
        progress=progress,
        media_dir=media_dir,
        make_account=make_account,
    ).run()


class WordPressImport:
    """One run of an export into the site: the records loaded and the report."""

    def __init__(
        self,
        path: Path,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        media_dir: Path | None = None,
        make_account: AccountMaker | None = None,
    ) -> None:
        self.path = path
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.source = ""
        self.terms = Vocabulary(self.report, make_account=make_account)
        self.media = MediaLibrary(self.report, media_dir)
        self.now = timezone.now()
        # Per source with no ImportedItem before this run, the posts this run
        # imported from it: a first import asks the database once, not per post.
        self.fresh: dict[str, set[int] | None] = {}
        # Old addresses of the posts loaded, written MOVES_BATCH at a time.
        self.moves: list[tuple[str, Article | None, Page | None]] = []

    def run(self) -> ImportReport:
        """Read and load every record in one transaction; return the report.

        Attachments are read first, in a pass of their own, so that a post finds
        its images however the export orders them.
        """
        try:
            with transaction.atomic(), announcements.as_one_change():
                self.read_attachments()
                with self.path.open("rb") as stream:
                    reader = read_wxr(stream, filename=self.path.name)
                    # Posts are converted by a second process, ahead (ahead.py):
                    # the position shown runs those few posts ahead too.
                    for record, conversion in converted_ahead(
                        reader, _converted, self.media, parallel=True
                    ):
                        self.load(record, conversion)
                        if self.progress:
                            self.progress(reader.position)
                self.finish()
                if self.report.dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            self.media.remove_stored_files()
            raise
        if self.report.dry_run:
            self.media.remove_stored_files()  # their rows were rolled back
        return self.report

    def read_attachments(self) -> None:
        """The first pass: every attachment into self.media (and the library)."""
        with self.path.open("rb") as stream:
            for record in read_wxr(stream, filename=self.path.name):
                if isinstance(record, WxrSite):
                    self.media.set_source(record.address)
                elif isinstance(record, WxrItem) and record.post_type == "attachment":
                    self.media.add(record)
                    self.report.count("attachments")

    def load(
        self,
        record: WxrSite | WxrAuthor | WxrTerm | WxrItem,
        conversion: Conversion | None = None,
    ) -> None:
        """Take in one record of the export (a post or page with its conversion,
        when it was converted already)."""
        if isinstance(record, WxrSite):
            self.source = self.report.source = record.address
        elif isinstance(record, WxrAuthor):
            self.terms.add_author(record)
        elif isinstance(record, WxrTerm):
            self.terms.add_term(record)
        elif isinstance(record, WxrItem):
            self.report.comments_skipped += record.comments
            if record.post_type == "attachment":
                return  # read in the first pass
            if record.status in NOT_IMPORTED_STATUSES:
                self.report.skipped[f"{record.post_type} ({record.status})"] += 1
            elif record.post_type == "post":
                self.article(record, conversion)
            elif record.post_type == "page":
                self.page(record, conversion)
            else:
                self.report.skipped[record.post_type] += 1

    def finish(self) -> None:
        """Add what can only be said once every record is in."""
        self.flush_moves()
        self.terms.link_parents()
        for warning in self.terms.warnings():
            self.report.warn(warning)
        remember_old_addresses(self.source, self.terms, self.media)

    # Posts and pages.

    def article(self, item: WxrItem, conversion: Conversion | None = None) -> None:
        """Create or update the article a post became, through save_article."""
        title, label = self.title(item, Article)
        usable, imported = self.previous(item, label)
        if not usable:
            return
        article = imported.article if imported else Article()
        conversion = self.convert(item, label, conversion)
        article.title = title
        article.body = conversion.markdown
        article.excerpt = plain_text(item.excerpt)
        article.sticky = item.is_sticky  # WXR 1.2's <wp:is_sticky>; older: none
        article.featured_image_id = self.featured_image(item, label)
        if article.pk is None:
            article.slug = self.free_slug(Article, item, title, label)
        article.status, article.published_at = self.status(item, label)
        authors = self.terms.byline(item, label)
        try:
            problems = save_article(article, authors=authors, now=self.now)
        except PublishRefused as refused:
            self.report.drafted.append(ItemLine(label, "; ".join(refused.problems)))
            article.status = Article.Status.DRAFT
            problems = save_article(article, authors=authors, now=self.now)
        for problem in problems:
            self.report.problems.append(ItemLine(label, problem))
        categories = self.terms.of(item, "category")
        tags = self.terms.of(item, "post_tag")
        if imported:
            article.categories.set(categories)
            article.tags.set(tags)
        else:  # a new article has no links to replace: add() is set() less a query
            article.categories.add(*categories)
            article.tags.add(*tags)
        self.report.count("posts updated" if imported else "posts created")
        imported = self.remember(imported, item, article=article)
        count, unreadable = view_count(item)
        for key, raw in unreadable:
            self.report.warn(f"{label}: view count {key}={raw!r} is not a number")
        keep_views(article, imported, count, now=self.now)
        self.report.count("views kept", count)
        _release_text(article)

    def page(self, item: WxrItem, conversion: Conversion | None = None) -> None:
        """Create or update the page a WordPress page became."""
        title, label = self.title(item, Page)
        usable, imported = self.previous(item, label)
        if not usable:
            return
        page = imported.page if imported else Page()
        page.title = title
        page.body = self.convert(item, label, conversion).markdown
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
        if self.first_import_of(item):
            return True, None
        imported = (
            ImportedItem.objects.filter(source=self.source, wp_id=item.wp_id)
            .select_related("article", "page")
            .first()
        )
        if imported is None:
            return True, None
        return may_update(imported, item.post_type, label, self.report), imported

    def featured_image(self, item: WxrItem, label: str) -> int | None:
        """The library image of the post's _thumbnail_id, reported when missing."""
        raw = (item.meta_value("_thumbnail_id") or "").strip()
        if not raw:
            return None
        ref = self.media.attachment(int(raw)) if raw.isdigit() else None
        if ref is None:
            self.report.warn(f"{label}: featured image {raw!r} is not in the export")
            return None
        if ref.image_id is None:
            self.report.missing_media.append(
                ItemLine(label, f"featured image {ref.url or raw}")
            )
        return ref.image_id

    def first_import_of(self, item: WxrItem) -> bool:
        """Whether no run before this one (nor this one) imported the post."""
        if self.source not in self.fresh:
            before = ImportedItem.objects.filter(source=self.source).exists()
            self.fresh[self.source] = None if before else set()
        done = self.fresh[self.source]
        return done is not None and item.wp_id not in done

    def convert(
        self, item: WxrItem, label: str, done: Conversion | None = None
    ) -> Conversion:
        """Convert the post's markup (unless `done` already), reporting what the
        conversion found."""
        conversion = done or convert_item(item, self.media)
        self.report.count("notes", conversion.notes)
        self.report.count("library images shown", conversion.images)
        for url in conversion.missing_media:
            self.report.missing_media.append(ItemLine(label, url))
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
        """The Broadsheet status and publication time of a post."""
        when = self.date(item, label)
        status = STATUSES.get(item.status)
        if status is None:
            self.report.warn(f"{label}: unknown status {item.status!r}, a draft now")
            status = Article.Status.DRAFT
        if item.status == "private":
            self.report.drafted.append(ItemLine(label, f"{item.status} in WordPress"))
        if item.password and status in LIVE_STATUSES:
            self.report.drafted.append(
                ItemLine(label, "password-protected in WordPress")
            )
            status = Article.Status.DRAFT
        if status in LIVE_STATUSES and when is None:
            self.report.warn(f"{label}: no publication date; dated today")
        return status, when

    def date(self, item: WxrItem, label: str) -> datetime.datetime | None:
        """When the post was (or is to be) published, in UTC; None for a draft."""
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

    def title(self, item: WxrItem, model: type[Article | Page]) -> tuple[str, str]:
        """The post's title as plain text, fitted to the model, and its report label."""
        title = plain_text(item.title) or f"Untitled (WordPress {item.post_type})"
        label = f"{item.post_type} {item.wp_id} \u201c{title}\u201d"
        longest = model._meta.get_field("title").max_length
        if len(title) > longest:
            self.report.warn(f"{label}: title cut to {longest} characters")
            title = title[: longest - 1] + "\u2026"
        return title, label

    def free_slug(self, model, item: WxrItem, title: str, label: str) -> str:
        """An ASCII slug from the post's, not yet taken by another row."""
        wanted = unquote(item.post_name) if item.post_name else title
        # Room for a "-2" suffix within the model's slug length.
        longest = model._meta.get_field("slug").max_length - 8
        slug = slug_of(wanted)[:longest].strip("-")
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

    def remember(
        self, imported: ImportedItem | None, item: WxrItem, **target: Article | Page
    ) -> ImportedItem:
        """Record what the post became, with a fingerprint of the text written."""
        if imported is None:
            imported = ImportedItem(source=self.source, wp_id=item.wp_id)
        imported.wp_type = item.post_type
        imported.permalink = item.link[:500]
        for name, value in target.items():
            setattr(imported, name, value)
            imported.fingerprint = fingerprint(value)
        imported.save()
        if self.fresh.get(self.source) is not None:
            self.fresh[self.source].add(item.wp_id)
        article, page = target.get("article"), target.get("page")
        key = "p" if item.post_type == "post" else "page_id"
        olds = [redirects.old_path(item.link), redirects.old_query(key, item.wp_id)]
        self.moves += [(old, article, page) for old in olds if old is not None]
        if len(self.moves) >= MOVES_BATCH:
            self.flush_moves()
        return imported

    def flush_moves(self) -> None:
        """Write the old addresses remembered so far (redirects.remember_many)."""
        redirects.remember_many(self.moves)
        self.moves = []


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


def _wordpress_time(text: str) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=datetime.UTC)


def _converted(record: object) -> bool:
    """Whether the loader will convert this record's markup: a post or a page."""
    return (
        isinstance(record, WxrItem)
        and record.post_type in ("post", "page")
        and record.status not in NOT_IMPORTED_STATUSES
    )
