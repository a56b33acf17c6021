"""The image library: originals with their facts, and the renditions made from them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

# Renditions are fitted to the article column: the largest one is what social
# cards and high-density screens get (see services.rendition_widths()).
RENDITION_WIDTHS = (480, 960, 1600)
# The article column's width; the browser picks from srcset with it.
SIZES = "(min-width: 37.5rem) 35rem, calc(100vw - 2.5rem)"  # web/site.css --measure


class Image(models.Model):
    """An uploaded picture: the original (stripped of metadata) and its renditions.

    Alt text is required because every image shown to readers needs one; the
    credit line is shown under the image and on the image credits page.
    """

    file = models.CharField(
        _("file"), max_length=255, editable=False, help_text=_("Under MEDIA_ROOT.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    format = models.CharField(_("format"), max_length=10, editable=False)
    bytes = models.PositiveIntegerField(_("size in bytes"), editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=500,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=300,
        blank=True,
        help_text=_("Who made it, or where it comes from."),
    )
    # [{"width": 480, "height": 320, "file": "images/…/w480.webp", "bytes": 1234}],
    # narrowest first.
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.alt

    @property
    def url(self) -> str:
        """The original's URL, relative to the site."""
        return default_storage.url(self.file)

    @property
    def largest(self) -> dict[str, Any]:
        """The widest rendition (what social cards get)."""
        return self.renditions[-1]

    @property
    def thumbnail(self) -> dict[str, Any]:
        """The narrowest rendition (what the library grid shows)."""
        return self.renditions[0]

    def rendition_url(self, rendition: Mapping[str, Any]) -> str:
        return default_storage.url(rendition["file"])

    @property
    def largest_url(self) -> str:
        return self.rendition_url(self.largest)

    @property
    def thumbnail_url(self) -> str:
        return self.rendition_url(self.thumbnail)

    @property
    def srcset(self) -> str:
        return ", ".join(
            f"{self.rendition_url(r)} {r['width']}w" for r in self.renditions
        )

    @property
    def markdown(self) -> str:
        """What a writer puts in a body to show this image (rendering's form)."""
        return f"![{_markdown_alt(self.alt)}](media:{self.pk})"

    def facts(self) -> dict[str, Any]:
        """Plain data for rendering: what an <img> and its caption need."""
        largest = self.largest
        return {
            "src": self.rendition_url(largest),
            "srcset": self.srcset,
            "sizes": SIZES,
            "width": largest["width"],
            "height": largest["height"],
            "alt": self.alt,
            "credit": self.credit,
        }

    def files(self) -> list[str]:
        """Every stored file of this image, original first."""
        return [self.file, *(r["file"] for r in self.renditions)]


def _markdown_alt(alt: str) -> str:
    # Brackets and backslashes would end or bend the image syntax.
    return "".join("\\" + c if c in "[]\\" else c for c in alt.replace("\n", " "))


class ImageLookup(Mapping):
    """Image id -> rendering facts, for rendering; one query per image asked for.

    An article shows few images, so each is read when rendering asks for it
    (rendering asks only for ids its source names).
    """

    def __init__(self, queryset: models.QuerySet | None = None) -> None:
        self._queryset = queryset if queryset is not None else Image.objects.all()
        self._found: dict[int, dict[str, Any] | None] = {}

    def __getitem__(self, key: int) -> dict[str, Any]:
        if key not in self._found:
            image = self._queryset.filter(pk=key).first()
            self._found[key] = image.facts() if image is not None else None
        facts = self._found[key]
        if facts is None:
            raise KeyError(key)
        return facts

    def __iter__(self) -> Iterator[int]:
        return iter(self._queryset.values_list("pk", flat=True))

    def __len__(self) -> int:
        return self._queryset.count()

    def prefetch(self, ids: Iterable[int]) -> None:
        """Read these images in one query."""
        wanted = [pk for pk in ids if pk not in self._found]
        found = {image.pk: image for image in self._queryset.filter(pk__in=wanted)}
        for pk in wanted:
            image = found.get(pk)
            self._found[pk] = image.facts() if image is not None else None
