"""Password reset by email for newsroom accounts (Django's auth views).

The link in the mail is built on the configured public address
(BROADSHEET_SITE_URL), never on the Host the request came in on: Django's form
would take the request's host, which an attacker can choose (a reset link
pointing at their own server). Mail goes out through BROADSHEET_EMAIL_URL's
server (the console in development). The page says the same whether or not an
account has that address, and both the request and the new password are written
to the audit log.
"""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path, reverse_lazy

from broadsheet.editorial import audit
from broadsheet.publishing.site_address import scheme_and_domain


class ResetForm(auth_forms.PasswordResetForm):
    """Django's form, with the link on the site's own address."""

    def save(self, **options) -> None:
        scheme, domain = scheme_and_domain()
        options.update(domain_override=domain, use_https=scheme == "https")
        options["extra_email_context"] = {"site_name": domain}
        super().save(**options)


class RequestReset(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "editorial/password_reset.html"
    email_template_name = "editorial/password_reset_email.txt"
    subject_template_name = "editorial/password_reset_subject.txt"
    success_url = reverse_lazy("newsroom:password-reset-sent")

    def form_valid(self, form) -> HttpResponse:
        audit.record(
            audit.Kind.PASSWORD_RESET_ASKED,
            target=form.cleaned_data["email"],
            request=self.request,
        )
        return super().form_valid(form)


class ChooseNewPassword(auth_views.PasswordResetConfirmView):
    template_name = "editorial/password_reset_confirm.html"
    success_url = reverse_lazy("newsroom:password-reset-done")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(
            audit.Kind.PASSWORD_RESET,
            actor=form.user,
            target=form.user.get_username(),
            request=self.request,
        )
        return response


urlpatterns = [
    path("", RequestReset.as_view(), name="password-reset"),
    path(
        "sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="editorial/password_reset_sent.html"
        ),
        name="password-reset-sent",
    ),
    path(
        "<uidb64>/<token>/",
        ChooseNewPassword.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="editorial/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
]
