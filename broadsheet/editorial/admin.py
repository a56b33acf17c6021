"""Article admin: edits go through publishing services, so rules hold for every save."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from broadsheet.content.admin import MarkdownProblemsMixin, rendered_preview_html
from broadsheet.content.models import (
    LIVE_STATUSES,
    Article,
    ArticleAuthor,
    Republication,
)
from broadsheet.publishing import services
from broadsheet.readership import counting


class ArticleForm(MarkdownProblemsMixin, forms.ModelForm):
    """Rendering problems block publishing; a draft saves and lists them as warnings."""

    class Meta:
        model = Article
        fields = "__all__"

    def add_error(self, field, error) -> None:
        if field == self.markdown_field and self._is_draft():
            self.draft_problems = [*getattr(self, "draft_problems", []), str(error)]
            return
        super().add_error(field, error)

    def _is_draft(self) -> bool:
        return self.cleaned_data.get("status") not in LIVE_STATUSES


class BylineFormSet(forms.BaseInlineFormSet):
    """The byline as submitted; a published or scheduled article needs an author.

    The admin saves the article before its inlines, so the check is made here, on
    the submitted rows, with the article's submitted status (self.instance).
    """

    def clean(self) -> None:
        super().clean()
        if self.instance.status in LIVE_STATUSES and not self.authors():
            raise ValidationError(services.NO_AUTHOR.capitalize())

    def authors(self) -> list:
        """The authors of the submitted rows, in byline order."""
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: row.get("position") or 0)
        return [row["author"] for row in rows]


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    formset = BylineFormSet
    extra = 1
    min_num = 0
    autocomplete_fields = ["author"]
    verbose_name_plural = "Byline (in order)"


class ProblemsFilter(admin.SimpleListFilter):
    """Find the articles whose stored rendering has problems."""

    title = "problems"
    parameter_name = "problems"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Has problems"), ("no", "No problems")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.exclude(render_problems=[])
        if self.value() == "no":
            return queryset.filter(render_problems=[])
        return queryset


class RepublicationInline(admin.StackedInline):
    model = Republication
    extra = 0
    max_num = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [ArticleAuthorInline, RepublicationInline]
    list_display = [
        "title",
        "status",
        "published_at",
        "word_count",
        "byline",
        "problem_count",
    ]
    list_filter = ["status", ProblemsFilter, "categories", "tags"]
    search_fields = ["title", "subtitle", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories", "tags"]
    date_hierarchy = "published_at"
    readonly_fields = ["problems", "preview_link", "statistics", "rendered_preview"]
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "body", "excerpt"]}),
        ("Featured image", {"fields": ["featured_image"]}),
        ("Publication", {"fields": ["status", "published_at", "categories", "tags"]}),
        (
            "Rendered",
            {"fields": ["problems", "preview_link", "statistics", "rendered_preview"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_bylines()

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        """Leave the saving to save_related, which knows the submitted byline."""

    def save_related(self, request, form, formsets, change: bool) -> None:
        # One call saves the article with its byline: publishing checks both.
        byline = next(f for f in formsets if isinstance(f, BylineFormSet))
        problems = services.save_article(form.instance, authors=byline.authors())
        form.save_m2m()
        # set_byline wrote the rows; the change message still asks what changed.
        byline.new_objects, byline.changed_objects, byline.deleted_objects = [], [], []
        for formset in formsets:
            if formset is not byline:
                self.save_formset(request, form, formset, change=change)
        warnings = set(getattr(form, "render_warnings", ()))
        for problem in problems:
            if problem in warnings:
                messages.warning(request, f"Saved with a warning: {problem}")
            else:
                messages.warning(request, f"Draft saved with a problem: {problem}")

    def view_on_site(self, obj: Article) -> str:
        """The public page once live; the staff preview before that."""
        if obj.is_live:
            return obj.get_absolute_url()
        return reverse("web:article-preview", kwargs={"pk": obj.pk})

    @admin.display(description="Problems")
    def problem_count(self, obj: Article) -> str:
        return str(len(obj.render_problems)) if obj.render_problems else ""

    @admin.display(description="Problems")
    def problems(self, obj: Article) -> str:
        if not obj.render_problems:
            return "None." if obj.pk else "-"
        items = format_html_join("", "<li>{}</li>", ((p,) for p in obj.render_problems))
        return format_html('<ul class="broadsheet-problems">{}</ul>', items)

    @admin.display(description="Byline")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.ordered_authors)

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "Save to preview."
        url = reverse("web:article-preview", kwargs={"pk": obj.pk})
        return format_html(
            '<a href="{}" target="_blank">Open the reader\'s view</a>', url
        )

    @admin.display(description="Statistics")
    def statistics(self, obj: Article) -> str:
        if not obj.pk:
            return "-"
        return (
            f"{obj.word_count} words, {obj.reading_minutes} min read, "
            f"{obj.note_count} notes, "
            f"{counting.view_count(obj)} views"
        )

    @admin.display(description="Rendered text")
    def rendered_preview(self, obj: Article) -> str:
        return rendered_preview_html(obj)

    @admin.action(description="Publish selected articles")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for article in queryset:
            try:
                services.publish_article(article)
            except services.PublishRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, f"Published \u201c{article}\u201d.")

    @admin.action(description="Withdraw selected articles (back to draft)")
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for article in queryset:
            services.unpublish_article(article)
        self.message_user(request, f"Withdrew {queryset.count()} article(s).")
