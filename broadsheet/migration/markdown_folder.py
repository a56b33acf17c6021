"""Import a folder of Markdown (Hugo, Jekyll or plain) in one transaction.

Every file is read and checked first (`markdown_files.read_folder`), so a bad
file imports nothing. Then, in one transaction: the bibliography files named in
front matter go through `sources.services.import_works`; posts become articles
saved by `publishing.services.save_article` (rendered, refused when they cannot
go live: then imported as drafts, with the reason reported), other files become
pages. Aliases become `publishing.Redirect` rows. `migration.ImportedItem`
remembers which file became which row (source "markdown:<folder>/<path>",
post id 0), so a re-run updates instead of doubling, and leaves alone what an
editor changed since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.content import services as content_services
from broadsheet.content.models import (
    LIVE_STATUSES,
    Article,
    Author,
    Category,
    Page,
    Republication,
    Tag,
)
from broadsheet.media.models import Image
from broadsheet.migration.markdown_files import (
    FileProblem,
    Folder,
    MarkdownFile,
    MarkdownFolderError,
    read_folder,
)
from broadsheet.migration.models import ImportedItem, fingerprint, may_update
from broadsheet.migration.report import ImportReport, ItemLine
from broadsheet.publishing import announcements, redirects
from broadsheet.publishing.services import PublishRefused, save_article
from broadsheet.sources.services import BibliographyFormatError, import_works

__all__ = ["MarkdownFolderError", "import_markdown_folder"]
BIBLIOGRAPHY_SUFFIXES = (".bib", ".bibtex", ".json", ".ris")


def import_markdown_folder(
    root: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every Markdown file under `root` in one transaction; return the report.

    `on_read` is told how many files will be loaded, `progress` each one done.
    Raises MarkdownFolderError (and imports nothing) naming each bad file and line.
    """
    folder = read_folder(root)
    if on_read:
        on_read(len(folder.files))
    return MarkdownImport(folder, dry_run=dry_run, progress=progress).run()


class MarkdownImport:
    """One run of a folder into the site."""

    def __init__(
        self,
        folder: Folder,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.folder = folder
        self.progress = progress
        self.site = folder.root.resolve().name or "folder"
        self.report = ImportReport(
            source=f"{folder.root} ({folder.layout})", dry_run=dry_run
        )
        self.now = timezone.now()
        self.authors: dict[str, Author] = {}

    def run(self) -> ImportReport:
        """Load the folder in one transaction (rolled back for a dry run)."""
        with transaction.atomic(), announcements.as_one_change():
            self.bibliographies()
            for done, item in enumerate(self.folder.files, 1):
                if item.kind == "article":
                    self.article(item)
                else:
                    self.page(item)
                self.removed(item)
                if self.progress:
                    self.progress(done)
            self.finish()
            if self.report.dry_run:
                transaction.set_rollback(True)
        return self.report

    def bibliographies(self) -> None:
        """Import each bibliography file named in front matter, once."""
        names = sorted(
            {name for item in self.folder.files for name in item.bibliography}
        )
        for name in names:
            if not name.lower().endswith(BIBLIOGRAPHY_SUFFIXES):
                raise MarkdownFolderError(
                    [
                        FileProblem(
                            name,
                            1,
                            "not a BibTeX (.bib), CSL-JSON (.json) or RIS (.ris) file",
                        )
                    ]
                )
            path = self.folder.root / name
            try:
                summary = import_works(path.read_text(encoding="utf-8"), filename=name)
            except UnicodeDecodeError as error:
                raise MarkdownFolderError(
                    [FileProblem(name, 1, "not UTF-8")]
                ) from error
            except BibliographyFormatError as error:
                message = str(error).removeprefix(f"line {error.line}: ")
                problem = FileProblem(name, error.line or 1, message)
                raise MarkdownFolderError([problem]) from error
            self.report.count("works added", summary.added)
            self.report.count("works updated", summary.updated)
            for line in summary.duplicates:
                self.report.warn(f"{name}: {line}")

    def article(self, item: MarkdownFile) -> None:
        """Create or update the article a file became, through save_article."""
        usable, imported = self.previous(item)
        if not usable:
            return
        article = imported.article if imported else Article()
        article.title = _fit(Article, "title", item.title)
        article.subtitle = _fit(Article, "subtitle", item.subtitle)
        article.body = item.body
        article.excerpt = item.excerpt
        if article.pk is None:
            article.slug = self.free_slug(Article, item)
        article.status = self.status(item)
        article.published_at = item.date or (imported and article.published_at) or None
        if item.featured_image is not None:
            article.featured_image = Image.objects.filter(
                pk=item.featured_image
            ).first()
            if article.featured_image is None:
                self.report.warn(
                    f"{item.path}: featured image media:{item.featured_image}"
                    " is not in the library"
                )
        if item.image_path:
            self.report.warn(
                f"{item.path}: featured image {item.image_path!r} is a file; images"
                " are not imported"
            )
        undated = item.date is None and article.published_at is None
        if undated and article.status in LIVE_STATUSES:
            self.report.warn(f"{item.path}: no date; dated at the import")
        authors = [self.author(name) for name in item.authors]
        try:
            problems = save_article(article, authors=authors, now=self.now)
        except PublishRefused as refused:
            self.report.drafted.append(
                ItemLine(
                    item.path, "; ".join(_in_file(item, p) for p in refused.problems)
                )
            )
            article.status = Article.Status.DRAFT
            problems = save_article(article, authors=authors, now=self.now)
        for problem in problems:
            self.report.problems.append(ItemLine(item.path, _in_file(item, problem)))
        article.categories.set([self.term(Category, name) for name in item.categories])
        article.tags.set([self.term(Tag, name) for name in item.tags])
        if item.republication is not None:
            Republication.objects.update_or_create(
                article=article, defaults=item.republication
            )
        if item.updated is not None:
            Article.objects.filter(pk=article.pk).update(updated_at=item.updated)
        self.report.count("articles updated" if imported else "articles created")
        self.remember(imported, item, article=article)

    def page(self, item: MarkdownFile) -> None:
        """Create or update the page a file became."""
        usable, imported = self.previous(item)
        if not usable:
            return
        page = imported.page if imported else Page()
        page.title = _fit(Page, "title", item.title)
        page.body = item.body
        if page.pk is None:
            page.slug = self.free_slug(Page, item)
        page.is_published = self.status(item) == Article.Status.PUBLISHED
        if not page.is_published:
            self.report.drafted.append(ItemLine(item.path, "a draft page"))
        document = content_services.render_page(page)
        page.save()
        for problem in document.problems:
            self.report.problems.append(
                ItemLine(item.path, _in_file(item, str(problem)))
            )
        self.report.count("pages updated" if imported else "pages created")
        self.remember(imported, item, page=page)

    def status(self, item: MarkdownFile) -> str:
        if item.status:
            return item.status
        return Article.Status.DRAFT if item.draft else Article.Status.PUBLISHED

    def previous(self, item: MarkdownFile) -> tuple[bool, ImportedItem | None]:
        """The row of an earlier import of this file, and whether to update it."""
        imported = (
            ImportedItem.objects.filter(source=self.source(item), wp_id=0)
            .select_related("article", "page")
            .first()
        )
        if imported is None:
            return True, None
        return may_update(imported, item.kind, item.path, self.report), imported

    def source(self, item: MarkdownFile) -> str:
        source = f"markdown:{self.site}/{item.path}"
        if len(source) > 300:  # the column's length; a digest keeps it unique
            source = "markdown:" + hashlib.sha256(source.encode()).hexdigest()
        return source

    def remember(
        self, imported: ImportedItem | None, item: MarkdownFile, **target
    ) -> None:
        if imported is None:
            imported = ImportedItem(source=self.source(item), wp_id=0)
        imported.wp_type = item.kind
        imported.permalink = (item.old_path or next(iter(item.aliases), ""))[:500]
        for name, value in target.items():
            setattr(imported, name, value)
            imported.fingerprint = fingerprint(value)
        imported.save()
        (row,) = target.values()
        address = row.get_absolute_url()
        for alias in dict.fromkeys([*item.aliases, item.old_path]):
            path = redirects.old_path(alias) if alias else ""
            if path is None and alias != item.old_path:
                self.report.warn(f"{item.path}: alias {alias!r} is not a path")
            if path and path != address:
                redirects.remember(alias, **target)
                self.report.count("redirects")

    def free_slug(self, model: type[Article | Page], item: MarkdownFile) -> str:
        longest = model._meta.get_field("slug").max_length - 8
        slug = item.slug[:longest].strip("-") or (
            "file-" + hashlib.sha256(item.path.encode()).hexdigest()[:8]
        )
        taken, candidate, n = model.objects.filter(slug=slug).exists(), slug, 1
        while taken:
            n += 1
            candidate = f"{slug}-{n}"
            taken = model.objects.filter(slug=candidate).exists()
        if candidate != slug:
            self.report.warn(f"{item.path}: slug {slug} is taken, now {candidate}")
        return candidate

    def author(self, name: str) -> Author:
        """Match an author by slug, then name, or create them."""
        if name not in self.authors:
            name = _fit(Author, "name", name)
            slug = (
                slugify(name)[:200]
                or "author-" + hashlib.sha256(name.encode()).hexdigest()[:8]
            )
            author = (
                Author.objects.filter(slug=slug).first()
                or Author.objects.filter(name=name).first()
            )
            if author is None:
                author = Author(name=name, slug=slug)
                content_services.render_bio(author)
                author.save()
                self.report.count("authors created")
            else:
                self.report.count("authors matched")
            self.authors[name] = author
        return self.authors[name]

    def term(self, model: type[Category | Tag], name: str) -> Category | Tag:
        name = _fit(model, "name", name)
        slug = slugify(name)[:100] or (
            f"{model._meta.model_name}-" + hashlib.sha256(name.encode()).hexdigest()[:8]
        )
        term, created = model.objects.get_or_create(slug=slug, defaults={"name": name})
        plural = model._meta.verbose_name_plural
        if created:
            self.report.count(f"{plural} created")
        return term

    def removed(self, item: MarkdownFile) -> None:
        for found in item.removed:
            line = item.body_line + found.line - 1
            self.report.shortcodes.append(
                ItemLine(f"{item.path}, line {line}", found.text)
            )

    def finish(self) -> None:
        for path, reason in self.folder.skipped:
            self.report.warn(f"{path}: not imported, {reason}")
        for key, files in sorted(self.folder.unread_keys.items()):
            self.report.warn(
                f"front matter field {key!r} is not imported ({files} files)"
            )


def _in_file(item: MarkdownFile, problem: str) -> str:
    """A rendering problem's "line N" (of the body) as the file's line."""
    head, sep, rest = problem.partition(": ")
    number = head.removeprefix("line ")
    if not sep or not head.startswith("line ") or not number.isdigit():
        return problem
    return f"line {item.body_line + int(number) - 1}: {rest}"


def _fit(model, name: str, text: str) -> str:
    longest = model._meta.get_field(name).max_length
    return text if len(text) <= longest else text[: longest - 1] + "\u2026"
