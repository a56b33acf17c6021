"""The site bibliography: works stored as CSL-JSON, and the lookup rendering reads."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from broadsheet.sources.validation import displayable, key_problem, record_problems


class Work(models.Model):
    """A book, article, chapter or other source that articles cite.

    The CSL-JSON record is the truth (it is what the CSL processor formats);
    key, DOI and title are copied out of it so they can be indexed and shown.
    """

    key = models.CharField(
        _("citation key"),
        max_length=200,
        unique=True,
        help_text=_("Writers cite the work as [@key]."),
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=500, blank=True, editable=False)
    csl = models.JSONField(_("CSL-JSON"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("work")

    def __str__(self) -> str:
        return f"{self.key}: {self.title}" if self.title else self.key

    def save(self, *args, **kwargs) -> None:
        # Imports, the shell and services all save here: refuse what clean()
        # would, so no path stores a record that is unsafe to show.
        self.clean()
        self.copy_out()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("web:source", kwargs={"key": self.key})

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if problem := key_problem(self.key):
            errors["key"] = [problem]
        record = dict(self.csl, id=self.key) if isinstance(self.csl, dict) else self.csl
        if problems := record_problems(record):
            errors["csl"] = problems
        if errors:
            raise ValidationError(errors)

    def copy_out(self) -> None:
        """Set the record's id to the key and copy its DOI and title out of it."""
        self.csl = dict(self.csl, id=self.key)
        self.doi = str(self.csl.get("DOI", "")).strip().lower()
        self.title = str(self.csl.get("title", ""))[:500]

    def as_csl(self) -> dict[str, Any]:
        """Return the record to format or export: with its key as id, safe to show."""
        return displayable(self.csl, self.key)

    @property
    def has_public_key(self) -> bool:
        """Tell whether the key makes a page address (rows stored before the checks
        may hold keys that do not)."""
        return key_problem(self.key) is None

    @property
    def page_range(self) -> tuple[int, int] | None:
        """Return the work's first and last page when its CSL "page" gives them."""
        from broadsheet.sources.formats.csljson import page_range

        return page_range(self.as_csl().get("page", ""))


class WorkLookup(Mapping):
    """Citation key -> CSL-JSON for rendering, loaded in one query on first use."""

    def __init__(self, queryset: models.QuerySet | None = None) -> None:
        self._queryset = queryset if queryset is not None else Work.objects.all()
        self._works: dict[str, dict[str, Any]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._works is None:
            rows = self._queryset.values_list("key", "csl")
            self._works = {key: displayable(csl, key) for key, csl in rows}
        return self._works

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())
