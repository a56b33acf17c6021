"""The newsroom's article form: what a writer edits, as plain Django form fields."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from broadsheet.content.models import Author, Category, Tag
from broadsheet.editorial.revisions import TEXT_FIELDS, Content
from broadsheet.media.models import Image


class BylineSelects(forms.Widget):
    """One <select> per byline place: the order chosen is the order printed."""

    def value_from_datadict(self, data, files, name) -> list[str]:
        return data.getlist(name)

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = [str(pk) for pk in (value or []) if pk]
        authors = list(Author.objects.values_list("pk", "name"))
        places = []
        for place, current in enumerate([*chosen, "", ""][: max(len(chosen) + 1, 3)]):
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (pk, " selected" if str(pk) == current else "", label)
                    for pk, label in authors
                ),
            )
            places.append(
                format_html(
                    '<li><label for="id_{0}_{1}">Place {2}</label>'
                    ' <select name="{0}" id="id_{0}_{1}">'
                    '<option value="">(nobody)</option>{3}</select></li>',
                    name,
                    place,
                    place + 1,
                    options,
                )
            )
        return format_html(
            '<ol class="byline-places">{}</ol>',
            format_html_join("", "{}", ((p,) for p in places)),
        )


class BylineField(forms.Field):
    """The authors in the order chosen, each once."""

    widget = BylineSelects

    def to_python(self, value) -> list[Author]:
        ids = []
        for item in value or []:
            if not item:
                continue
            try:
                pk = int(item)
            except (TypeError, ValueError):
                raise forms.ValidationError(f"“{item}” is not an author.") from None
            if pk not in ids:
                ids.append(pk)
        found = Author.objects.in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise forms.ValidationError(f"No author with id {missing[0]}.")
        return [found[pk] for pk in ids]


class ArticleEditForm(forms.Form):
    """Text, byline and terms; `version`: the article version the form was loaded at."""

    title = forms.CharField(max_length=300)
    subtitle = forms.CharField(max_length=300, required=False)
    slug = forms.SlugField(
        max_length=200,
        required=False,
        help_text="The article's address: /articles/<slug>/. Fixed once published;"
        " leave empty to make one from the title.",
    )
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
    authors = BylineField(required=False, label="Byline")
    featured_image = forms.ModelChoiceField(
        Image.objects.order_by("-created_at"),
        required=False,
        empty_label="(none)",
        help_text="Heads the article and its cards, and is its picture when shared.",
    )
    sticky = forms.BooleanField(
        required=False,
        label="Lead story",
        help_text="Pin it to the top of the front page.",
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
            attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
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
            featured_image=content.get("featured_image"),
            sticky=bool(content.get("sticky")),
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
            "featured_image": data["featured_image"].pk
            if data.get("featured_image")
            else None,
            "sticky": bool(data.get("sticky")),
        }

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
