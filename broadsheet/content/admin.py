"""Back office for authors, taxonomy, static pages and site settings."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from broadsheet.content import services
from broadsheet.content.models import (
    Author,
    AuthorLink,
    Category,
    Page,
    SiteSettings,
    Tag,
)


class MarkdownProblemsMixin:
    """Render the form's Markdown field on clean: errors block, warnings are kept.

    Warnings (markup the page leaves out) land in self.render_warnings for the
    admin to show as messages; they never stop a save.
    """

    markdown_field = "body"
    # As the save renders it: a biography is rendered without the bibliography.
    render_markdown = staticmethod(services.render_source)

    def clean(self) -> dict:
        data = super().clean()
        self.render_warnings = []
        if data.get(self.markdown_field) is not None:
            for problem in self.render_markdown(data[self.markdown_field]).problems:
                if problem.is_error:
                    self.add_error(self.markdown_field, str(problem))
                else:
                    self.render_warnings.append(str(problem))
        return data


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 1


class AuthorForm(MarkdownProblemsMixin, forms.ModelForm):
    markdown_field = "bio"
    render_markdown = staticmethod(services.render_biography)

    class Meta:
        model = Author
        fields = "__all__"


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorForm
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorLinkInline]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change) -> None:
        services.render_bio(obj)
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PageForm(MarkdownProblemsMixin, forms.ModelForm):
    class Meta:
        model = Page
        fields = "__all__"


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    list_display = ["title", "slug", "is_published", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rendered_preview"]

    def save_model(self, request, obj, form, change) -> None:
        services.render_page(obj)
        super().save_model(request, obj, form, change)

    @admin.display(description="Rendered preview")
    def rendered_preview(self, obj: Page) -> str:
        return rendered_preview_html(obj)


def rendered_preview_html(obj) -> str:
    """Show a document's stored rendering inside the admin change form."""
    if not obj.pk:
        return "Save to see the rendered text."
    return format_html(
        '<div class="broadsheet-preview" style="max-width:40rem;font:1rem/1.6 Georgia,'
        'serif">{}{}</div>',
        mark_safe(obj.body_html),  # sanitised by the rendering pipeline (nh3)
        mark_safe(obj.notes_html),
    )


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    filter_horizontal = ["footer_pages"]

    def has_add_permission(self, request) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
