"""The newsroom's article form: what a writer edits, as plain Django form fields."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from broadsheet.content.models import Author, Category, Tag
from broadsheet.editorial.revisions import TEXT_FIELDS, Content


class ArticleEditForm(forms.Form):
    """Text, byline and terms; `version`: the article version the form was loaded at."""

    title = forms.CharField(max_length=300)
    subtitle = forms.CharField(max_length=300, required=False)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
        required=False,
        help_text="Markdown. Notes: [^1] in the text, [^1]: the note at the end."
        " Citations: [@key, p. 4].",
    )
    excerpt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown in lists; leave empty to use the opening words.",
    )
    authors = forms.ModelMultipleChoiceField(
        Author.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.ModelMultipleChoiceField(
        Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = forms.DateTimeField(
        required=False,
        label="Publication time",
        help_text="Leave empty to publish now; a future time schedules the article.",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )

    @classmethod
    def for_content(cls, content: Content, *, version: int | None, **kwargs):
        """A form showing `content` (a revision's or the article's)."""
        initial = {name: content.get(name, "") for name in TEXT_FIELDS}
        initial.update(
            authors=content.get("authors") or [],
            categories=content.get("categories") or [],
            tags=content.get("tags") or [],
            version=version,
        )
        return cls(initial=initial, **kwargs)

    def content(self) -> Content:
        """The submitted content, in the shape revisions keep."""
        data = self.cleaned_data
        return {
            **{name: data.get(name) or "" for name in TEXT_FIELDS},
            "authors": [author.pk for author in data.get("authors") or []],
            "categories": sorted(c.pk for c in data.get("categories") or []),
            "tags": sorted(t.pk for t in data.get("tags") or []),
        }

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
