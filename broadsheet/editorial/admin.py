"""Article admin: edits go through publishing services, so rules hold for every save."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from broadsheet.content.admin import MarkdownProblemsMixin, rendered_preview_html
from broadsheet.content.models import Article, ArticleAuthor, Republication
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
        return self.cleaned_data.get("status") == Article.Status.DRAFT


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    min_num = 0
    autocomplete_fields = ["author"]
    verbose_name_plural = "Byline (in order)"


class RepublicationInline(admin.StackedInline):
    model = Republication
    extra = 0
    max_num = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [ArticleAuthorInline, RepublicationInline]
    list_display = ["title", "status", "published_at", "word_count", "byline"]
    list_filter = ["status", "categories", "tags"]
    search_fields = ["title", "subtitle", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories", "tags"]
    date_hierarchy = "published_at"
    readonly_fields = ["preview_link", "statistics", "rendered_preview"]
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "body", "excerpt"]}),
        ("Publication", {"fields": ["status", "published_at", "categories", "tags"]}),
        ("Rendered", {"fields": ["preview_link", "statistics", "rendered_preview"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_bylines()

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        problems = services.save_article(obj)
        for problem in problems:
            messages.warning(request, f"Draft saved with a problem: {problem}")

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
