"""Articles, authors, taxonomy, static pages and site settings: the source text."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from broadsheet.rendering import RenderedDocument
from broadsheet.sources import styles
from broadsheet.sources.url_schemes import (
    WEB,
    WEB_AND_MAIL,
    SchemeValidator,
    scheme_constraint,
)


class RenderedFieldsMixin(models.Model):
    """Stored output of the rendering pipeline, so pages never re-parse Markdown."""

    body_html = models.TextField(blank=True, editable=False)
    notes_html = models.TextField(blank=True, editable=False)
    bibliography_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    note_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveIntegerField(default=0, editable=False)
    auto_excerpt = models.TextField(blank=True, editable=False)
    render_problems = models.JSONField(default=list, blank=True, editable=False)
    pipeline_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def apply_rendering(self, document: RenderedDocument, *, version: int) -> None:
        """Copy a RenderedDocument onto this row's stored fields (no save)."""
        self.body_html = document.html
        self.notes_html = document.notes_html
        self.bibliography_html = document.bibliography_html
        self.toc = [
            {"level": h.level, "text": h.text, "anchor": h.anchor} for h in document.toc
        ]
        self.word_count = document.word_count
        self.note_count = len(document.notes)
        self.reading_minutes = document.reading_minutes
        self.auto_excerpt = document.excerpt
        self.render_problems = [str(problem) for problem in document.problems]
        self.pipeline_version = version


class Author(models.Model):
    """A person who writes for the site; bylines and author pages come from here."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    bio = models.TextField(_("biography"), blank=True, help_text=_("Markdown."))
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ImageField(_("photo"), upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        verbose_name=_("user account"),
        help_text=_("The account that writes as this author: their own articles."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:author", kwargs={"slug": self.slug})


class AuthorLink(models.Model):
    """A link shown with an author's bio (personal site, profile elsewhere)."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(
        _("URL"),
        validators=[SchemeValidator(WEB_AND_MAIL)],
        help_text=_("An http:, https: or mailto: link."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("author link")
        constraints = [
            scheme_constraint(
                "url", name="author_link_url_scheme", schemes=WEB_AND_MAIL
            )
        ]

    def __str__(self) -> str:
        return self.label


class Category(models.Model):
    """A broad section of the site; an article belongs to one or more. A section
    may sit inside another (WordPress's category hierarchy, kept on import); its
    page links to the one above and the ones below."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The broader section this one belongs to, if any."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:category", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.parent_id is not None and self.pk in self.ancestor_ids():
            raise ValidationError(
                {"parent": _("A section cannot sit inside itself or its own sections.")}
            )

    def ancestor_ids(self) -> list[int]:
        """The ids of the sections above, nearest first (a loop stops the walk)."""
        found: list[int] = []
        current = self.parent_id
        while current is not None and current not in found:
            found.append(current)
            current = (
                Category.objects.filter(pk=current)
                .values_list("parent_id", flat=True)
                .first()
            )
        return found


class Tag(models.Model):
    """A fine-grained subject label used for browsing and related reading."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def live(self, now=None) -> ArticleQuerySet:
        """Articles readers may see at `now`: the rule of is_live_at(), as a query."""
        return self.filter(
            status__in=LIVE_STATUSES, published_at__lte=now or timezone.now()
        )

    def due_for_publication(self, now=None) -> ArticleQuerySet:
        return self.filter(
            status=Article.Status.SCHEDULED, published_at__lte=now or timezone.now()
        )

    def for_update(self) -> ArticleQuerySet:
        """Lock the rows for an edit: other edits of them wait for this one.

        FOR NO KEY UPDATE on PostgreSQL (SQLite locks the whole database anyway):
        FOR UPDATE would also block the foreign key checks of rows that merely
        point at an article (related reading, bylines), which two publishes then
        take on each other's articles at commit, a deadlock.
        """
        return self.select_for_update(no_key=True)

    def with_bylines(self) -> ArticleQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author"),
            )
        )


class Article(RenderedFieldsMixin):
    """A piece of writing: Markdown source, metadata and its stored rendering."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Part of the article's URL; keep it stable once published."),
    )
    body = models.TextField(
        _("body"), help_text=_("Markdown, with notes as [^label] and [^label]: text.")
    )
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("Leave empty to use the opening words.")
    )
    featured_image = models.ForeignKey(
        "media.Image",
        verbose_name=_("featured image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_in",
        help_text=_("Shown above the article, in lists and on social cards."),
    )
    sticky = models.BooleanField(
        _("lead story"),
        default=False,
        help_text=_("Pinned to the top of the front page (WordPress's sticky posts)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("When the article goes live; a future time schedules it."),
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    # Bumped by every save of the source: an edit based on an older version is
    # refused instead of overwriting (editorial.editing).
    version = models.PositiveIntegerField(default=1, editable=False)
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    categories = models.ManyToManyField(
        Category, related_name="articles", blank=True, verbose_name=_("categories")
    )
    tags = models.ManyToManyField(
        Tag, related_name="articles", blank=True, verbose_name=_("tags")
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("web:article", kwargs={"slug": self.slug})

    @property
    def summary(self) -> str:
        """The excerpt shown in lists: the editor's, else the automatic one."""
        return self.excerpt or self.auto_excerpt

    @property
    def is_live(self) -> bool:
        return is_live_at(self.status, self.published_at, timezone.now())

    @property
    def ordered_authors(self) -> list[Author]:
        return [link.author for link in self.article_authors.all()]


# "Live": what readers may see. Published, or scheduled and due. Every query,
# raw SQL included, takes the rule from here; tests/content/test_live_rule.py
# fails when another module spells it out again.
LIVE_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


def is_live_at(status: str, published_at: datetime.datetime | None, now) -> bool:
    """Whether an article with this status and date is live at `now`."""
    return status in LIVE_STATUSES and published_at is not None and published_at <= now


def live_sql(alias: str) -> str:
    """The live rule as an SQL condition on the article table aliased `alias`,
    with named parameters that live_params() fills."""
    return (
        f"{alias}.status IN (%(live_published)s, %(live_scheduled)s)"
        f" AND {alias}.published_at <= %(live_now)s"
    )


def not_yet_live_sql(alias: str) -> str:
    """Articles the live rule will take in later (a live status, a date still to
    come): the other half of live_sql(), with the same parameters."""
    return (
        f"{alias}.status IN (%(live_published)s, %(live_scheduled)s)"
        f" AND {alias}.published_at > %(live_now)s"
    )


def live_params(now: datetime.datetime | None = None) -> dict[str, object]:
    """The parameters of live_sql() at `now` (default: this moment)."""
    return {
        "live_published": Article.Status.PUBLISHED,
        "live_scheduled": Article.Status.SCHEDULED,
        "live_now": now or timezone.now(),
    }


class ArticleAuthor(models.Model):
    """An author's place in an article's byline; `position` orders the byline."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="article_links"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="unique_author_per_article"
            )
        ]
        verbose_name = _("byline entry")

    def __str__(self) -> str:
        return str(self.author)


class Republication(models.Model):
    """Where an article first appeared, shown as "Source: ..." and as rel=canonical."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="republication"
    )
    original_title = models.CharField(_("original title"), max_length=300, blank=True)
    venue = models.CharField(_("venue"), max_length=300)
    volume_issue = models.CharField(_("volume/issue"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    pages = models.CharField(_("pages"), max_length=50, blank=True)
    url = models.URLField(
        _("URL"),
        blank=True,
        validators=[SchemeValidator(WEB)],
        help_text=_("The original's address (http: or https:), named canonical."),
    )

    class Meta:
        verbose_name = _("republication source")
        constraints = [scheme_constraint("url", name="republication_url_scheme")]

    def __str__(self) -> str:
        return self.source_line

    @property
    def source_line(self) -> str:
        """Format as: Source: "Title", Venue, vol. 3, no. 2, 4 May 1998, pp. 41-58."""
        parts = [f"\u201c{self.original_title}\u201d"] if self.original_title else []
        parts.append(self.venue)
        if self.volume_issue:
            parts.append(self.volume_issue)
        if self.date:
            parts.append(f"{self.date.day} {self.date:%B %Y}")
        if self.pages:
            parts.append(self.pages)
        return "Source: " + ", ".join(parts) + "."


class Page(RenderedFieldsMixin):
    """A static page such as About, Legal disclaimer or Contact."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("web:page", kwargs={"slug": self.slug})


class SiteSettings(models.Model):
    """The one row of site-wide settings editors change without a deploy."""

    site_name = models.CharField(_("site name"), max_length=200, default="Broadsheet")
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    donation_url = models.URLField(
        _("donation link"), blank=True, validators=[SchemeValidator(WEB)]
    )
    donation_label = models.CharField(
        _("donation link wording"), max_length=100, default="Support us"
    )
    citation_style = models.CharField(
        _("citation style"),
        max_length=100,
        choices=styles.CHOICES,
        default=styles.DEFAULT_STYLE,
        help_text=_("The CSL style citations and works cited are formatted in."),
    )
    views_shown_from = models.PositiveIntegerField(
        _("show view counts from"),
        default=1,
        help_text=_(
            "Articles read fewer times than this show no view count, on their page"
            " and under Most read. 0 shows every count, 0 views included."
        ),
    )
    footer_pages = models.ManyToManyField(
        Page, blank=True, verbose_name=_("pages linked in the footer")
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Editors and administrators must set up an authenticator app and give"
            " its code at every login before they reach the newsroom or the admin."
        ),
    )
    icon = models.ForeignKey(
        "media.Image",
        verbose_name=_("site icon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A square image from the library, 512 pixels or more: the browser tab's"
            " icon and the one a phone shows for the saved site. Empty: the"
            " Broadsheet mark."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [scheme_constraint("donation_url", name="donation_url_scheme")]

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # a singleton: there is exactly one settings row
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> SiteSettings:
        """Return the settings row, creating it with defaults on first use."""
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


class Citation(models.Model):
    """An article citing a work, at a locator: the Sources index is built from these.

    Written from the article's rendering (content.services.store_citations), one
    row per article, work and locator, with how often and where it is cited.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="citations"
    )
    work = models.ForeignKey(
        "sources.Work", on_delete=models.PROTECT, related_name="citations"
    )
    label = models.CharField(_("locator label"), max_length=30, blank=True)
    locator = models.CharField(_("locator"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("times cited"), default=1)
    passages = models.JSONField(
        default=list,
        blank=True,
        help_text=_('Where it is cited: [{"anchor": "cite-3", "text": "..."}].'),
    )

    class Meta:
        ordering = ["article", "work", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "work", "label", "locator"],
                name="unique_citation_per_locator",
            )
        ]
        verbose_name = _("citation")

    def __str__(self) -> str:
        where = f", {self.label} {self.locator}" if self.locator else ""
        return f"{self.article} \u2192 {self.work.key}{where}"
