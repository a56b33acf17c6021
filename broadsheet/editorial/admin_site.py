"""The Django admin under the site's name: site settings, users and roles, sources."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SiteAdmin(admin.AdminSite):
    """Headed with the site's name from SiteSettings, not "Django administration"."""

    site_url = "/newsroom/"  # "View site" leads writers back to their desk
    index_title = "Site settings, people and sources"
    login_template = "editorial/admin_login.html"  # with the two-factor code

    @property
    def login_form(self):
        # Imported late: the form's module needs the app registry, this one loads
        # before it (it is the admin's AppConfig).
        from broadsheet.editorial.two_factor import AdminLoginForm

        return AdminLoginForm

    def each_context(self, request: HttpRequest) -> dict:
        from broadsheet.content.models import SiteSettings

        context = super().each_context(request)
        name = SiteSettings.load().site_name
        context.update(
            site_header=f"{name} administration",
            site_title=f"{name} administration",
        )
        return context


class BroadsheetAdminConfig(AdminConfig):
    """Django's admin app, with SiteAdmin as its default site."""

    default_site = "broadsheet.editorial.admin_site.SiteAdmin"
