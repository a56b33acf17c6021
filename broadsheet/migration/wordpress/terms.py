"""Authors, categories and tags of an import: matched by slug, else created."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import unquote

from django.utils.text import slugify

from broadsheet.content import services as content_services
from broadsheet.content.models import Author, Category, Tag
from broadsheet.migration.report import ImportReport
from broadsheet.migration.wordpress.convert import plain_text
from broadsheet.migration.wordpress.records import WxrAuthor, WxrItem, WxrTerm

# make_account(login, author, email) -> "created", "linked" or "kept": the CLI
# passes editorial's (migration sits below editorial and cannot import it).
AccountMaker = Callable[[str, Author, str], str]


class Vocabulary:
    """The authors and terms an import has met, by their WordPress names.

    Matching by slug means a re-run, or a site that already has an author or a
    tag of that slug, reuses the row instead of making a second one.
    """

    def __init__(
        self, report: ImportReport, *, make_account: AccountMaker | None = None
    ) -> None:
        self.report = report
        self.make_account = make_account
        self.authors: dict[str, Author] = {}
        self.author_ids: dict[str, str] = {}
        # Declared in the header, by the slug as written: for the old addresses.
        self.category_parents: dict[str, str] = {}
        self.declared: list[tuple[str, str, str, Category]] = []
        self.declared_tag_list: list[tuple[str, Tag]] = []
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self.hierarchy_warnings: list[str] = []
        self.other_taxonomies: set[str] = set()

    def add_author(self, record: WxrAuthor) -> Author:
        """Match the author by slug, then by name, or create it (and with
        make_account, their back-office account)."""
        author = self.authors[record.login] = self._author(record)
        if record.author_id:
            self.author_ids[record.login] = record.author_id
        if self.make_account is not None and record.login:
            status = self.make_account(record.login, author, record.email)
            self.report.count(f"accounts {status}")
        return author

    def _author(self, record: WxrAuthor) -> Author:
        name = _fit(Author, "name", plain_text(record.display_name) or record.login)
        slug = _fit(Author, "slug", slug_of(record.login) or slug_of(name))
        if not slug:
            slug = "author-" + hashlib.sha256(record.login.encode()).hexdigest()[:8]
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

    def add_term(self, record: WxrTerm) -> None:
        """Take in a term declared in the export's header."""
        if record.taxonomy == "category":
            made = self.category(record.slug, record.name, record.description)
            self.declared.append((record.slug, record.parent, record.term_id, made))
            if record.parent:
                self.category_parents[record.slug] = record.parent
        elif record.taxonomy == "post_tag":
            made = self.tag(record.slug, record.name)
            self.declared_tag_list.append((record.slug, made))
        else:
            self.other_taxonomies.add(record.taxonomy)

    def category(self, raw_slug: str, raw_name: str, description: str = "") -> Category:
        slug = self.term_slug(Category, raw_slug, raw_name)
        if slug not in self.categories:
            category, created = Category.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": _fit(Category, "name", plain_text(raw_name) or slug),
                    "description": plain_text(description),
                },
            )
            self.report.count("categories created" if created else "categories matched")
            self.categories[slug] = category
        return self.categories[slug]

    def tag(self, raw_slug: str, raw_name: str) -> Tag:
        slug = self.term_slug(Tag, raw_slug, raw_name)
        if slug not in self.tags:
            tag, created = Tag.objects.get_or_create(
                slug=slug,
                defaults={"name": _fit(Tag, "name", plain_text(raw_name) or slug)},
            )
            self.report.count("tags created" if created else "tags matched")
            self.tags[slug] = tag
        return self.tags[slug]

    @staticmethod
    def term_slug(model: type[Category | Tag], raw_slug: str, name: str) -> str:
        slug = _fit(model, "slug", slug_of(raw_slug) or slug_of(plain_text(name)))
        if not slug:
            # A slug of Greek or Japanese letters has no ASCII form: a stable
            # stand-in, the same on every run.
            kind = model._meta.model_name
            digest = hashlib.sha256((raw_slug or name).encode()).hexdigest()
            slug = f"{kind}-{digest[:8]}"
        return slug

    def byline(self, item: WxrItem, label: str) -> list[Author]:
        """The post's author, created when the header did not declare them."""
        if not item.creator:
            return []
        if item.creator not in self.authors:
            self.report.warn(f"{label}: author {item.creator!r} is not in the export")
            self.add_author(WxrAuthor(item.creator, item.creator, "", "", item.line))
        return [self.authors[item.creator]]

    def of(self, item: WxrItem, domain: str) -> list[Category] | list[Tag]:
        """The post's categories ("category") or tags ("post_tag")."""
        make = self.category if domain == "category" else self.tag
        terms = {}
        for term in item.terms:
            if term.domain == domain:
                made = make(term.slug, term.name)
                terms[made.pk] = made
            elif term.domain not in ("category", "post_tag"):
                self.other_taxonomies.add(term.domain)
        return list(terms.values())

    def link_parents(self) -> None:
        """Put each declared category inside its WordPress parent, once every term
        is in. A category that already has a parent keeps it (an editor's choice
        is not overwritten); a parent missing from the export, or a link that
        would make a loop, is left out and reported."""
        by_slug = {raw: made for raw, _parent, _id, made in self.declared}
        for raw, raw_parent, _id, child in self.declared:
            parent = by_slug.get(raw_parent) if raw_parent else None
            if not raw_parent or child.parent_id is not None:
                continue
            if parent is None:
                self.hierarchy_warnings.append(
                    f"category {raw}: its parent {raw_parent!r} is not in the export"
                )
            elif child.pk == parent.pk or child.pk in parent.ancestor_ids():
                self.hierarchy_warnings.append(
                    f"category {raw}: under {raw_parent} would make a loop; left at"
                    " the top"
                )
            else:
                child.parent = parent
                child.save(update_fields=["parent"])

    def declared_categories(self) -> list[tuple[str, str, str, Category]]:
        """(slug as written, parent's slug, term id, category) per declared one."""
        return self.declared

    def declared_tags(self) -> list[tuple[str, Tag]]:
        """(slug as written, tag) per declared tag."""
        return self.declared_tag_list

    def declared_authors(self) -> list[tuple[str, str, Author]]:
        """(login, WordPress user id, author) per author met."""
        return [
            (login, self.author_ids.get(login, ""), author)
            for login, author in self.authors.items()
        ]

    def warnings(self) -> list[str]:
        """What the report should say about the terms once every record is in."""
        found = list(self.hierarchy_warnings)
        for taxonomy in sorted(self.other_taxonomies):
            found.append(f"terms of the {taxonomy!r} taxonomy were not imported")
        return found


def _fit(model, field: str, text: str) -> str:
    return text[: model._meta.get_field(field).max_length]


def slug_of(text: str) -> str:
    """An ASCII slug for a WordPress slug (percent-encoded when not Latin) or name."""
    return slugify(unquote(text))
