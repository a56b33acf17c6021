"""The Django admin: its article list, and users with their roles."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from broadsheet.content.models import LIVE_STATUSES, Article
from broadsheet.editorial import workflow
from broadsheet.editorial.groups import offered_permissions
from broadsheet.editorial.models import AuditEvent
from broadsheet.editorial.roles import Role, assign, role_of
from broadsheet.publishing import services


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """A list of articles for administrators; writing happens in the newsroom.

    Adding or changing an article here opens the newsroom's editor, so every
    edit goes through its roles, revisions and version check.
    """

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
    date_hierarchy = "published_at"
    actions = ["publish_selected", "withdraw_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_bylines()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("newsroom:article-new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("newsroom:article-edit", pk=int(object_id))

    @admin.display(description="Problems")
    def problem_count(self, obj: Article) -> str:
        return str(len(obj.render_problems)) if obj.render_problems else ""

    @admin.display(description="Byline")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.ordered_authors)

    @admin.action(description="Publish selected articles")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for article in queryset:
            try:
                workflow.publish(article, request.user)
            except services.PublishRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            except workflow.StepRefused as refusal:
                self.message_user(request, f"{article}: {refusal}", messages.ERROR)
            else:
                self.message_user(request, f"Published \u201c{article}\u201d.")

    @admin.action(description="Withdraw selected articles")
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        withdrawn = 0
        for article in queryset.filter(status__in=LIVE_STATUSES):
            workflow.withdraw(article, request.user)
            withdrawn += 1
        self.message_user(request, f"Withdrew {withdrawn} article(s).")


class UserRoleForm(UserChangeForm):
    """The user form with the newsroom role, which sets groups and staff status."""

    role = forms.TypedChoiceField(
        choices=[("", "No newsroom access")] + [(r.value, r.label) for r in Role],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Contributors write drafts and submit them; authors publish their"
        " own; editors edit and publish anyone's and manage sources, taxonomy,"
        " pages and media; administrators also manage users and site settings.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            role = role_of(self.instance)
            self.initial["role"] = role.value if role else ""
        permissions = self.fields.get("user_permissions")
        if permissions is not None:
            permissions.queryset = offered_permissions()


class RoleUserAdmin(UserAdmin):
    """Users with their role first; the internal models stay out of permissions."""

    form = UserRoleForm
    list_display = ["username", "email", "role", "is_active", "last_login"]
    fieldsets = [
        (None, {"fields": ["username", "password", "role"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        (
            "Access",
            {"fields": ["is_active", "is_superuser", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description="Role")
    def role(self, user) -> str:
        role = role_of(user)
        return role.label if role else "-"

    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "role" in form.cleaned_data:
            role = form.cleaned_data["role"]
            assign(obj, Role(role) if role else None, by=request.user, request=request)


admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)
# Roles are the groups; editing them by hand would change what a role means.
admin.site.unregister(Group)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only, for administrators alone."""

    list_display = ["at", "kind", "actor_name", "target", "detail", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["actor_name", "target", "detail", "ip_address"]
    date_hierarchy = "at"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return role_of(request.user) == Role.ADMINISTRATOR

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
