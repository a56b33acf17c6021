"""Two-factor authentication for the back office (django-otp, TOTP).

Anyone may turn it on for their own account at /newsroom/account/two-factor/:
scan the QR code with an authenticator app, type its code once. From then on the
login forms (newsroom and admin) ask for the code as well as the password. When
SiteSettings.require_two_factor is set, editors and administrators cannot reach
the newsroom or the admin until they have done so, and a session that logged in
without a code is sent back to the login. A lost phone: an administrator deletes
the account's device under "TOTP devices" in the admin.
"""

from __future__ import annotations

import io
from base64 import b32encode

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from broadsheet.content.models import SiteSettings
from broadsheet.editorial import audit
from broadsheet.editorial.roles import Role, has_role

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
)


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """User name, password and, for accounts with an authenticator, its code."""

    otp_token = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        widget=CODE_WIDGET,
        help_text="Only if you have set up two-factor authentication.",
    )
    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required="This account uses two-factor authentication: give the"
        " code your authenticator app shows.",
        invalid_token="That code is wrong or has expired: give the one your"
        " authenticator app shows now.",
    )

    def clean(self) -> dict:
        self.cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            self.clean_otp(user)  # which asks for a code whatever the account
        return self.cleaned_data

    def _chosen_device(self, user) -> TOTPDevice | None:
        # An account has one authenticator (setup replaces the old one), so the
        # form needs no device menu; locked, as django-otp locks the one chosen.
        devices = TOTPDevice.objects.select_for_update()
        return devices.filter(user=user, confirmed=True).first()


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The same, for the admin's login (staff accounts only, as the admin's)."""


class ConfirmForm(forms.Form):
    code = forms.CharField(label="Code from your authenticator app", widget=CODE_WIDGET)


def _setup_url() -> str:
    return reverse("newsroom:two-factor")


class RequireTwoFactor:
    """When the site requires it, editors and administrators reach the back
    office only in a session verified with a code (after the login middleware)."""

    EXEMPT = ("/newsroom/login/", "/newsroom/account/two-factor/", "/admin/logout/")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(self.EXEMPT)
            and not user.is_verified()
            and has_role(user, Role.EDITOR)
            and _required()
        ):
            if _confirmed_device(user) is None:
                return redirect(_setup_url())
            logout(request)  # logged in before it was required: log in with a code
            return redirect_to_login(request.get_full_path(), reverse("newsroom:login"))
        return self.get_response(request)


def _required() -> bool:
    # Read, not SiteSettings.load(): a request must not create the settings row.
    row = SiteSettings.objects.filter(pk=1).values_list("require_two_factor").first()
    return bool(row and row[0])


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _pending_device(user) -> TOTPDevice:
    """The account's unconfirmed device, made on first visit (its secret stays
    the same while the page is reloaded, so a scanned code keeps working)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


@login_required(login_url="newsroom:login")
def setup(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor authentication: scan, then confirm with one code."""
    confirmed = _confirmed_device(request.user)
    if confirmed is not None and request.user.is_verified():
        return render(request, "editorial/two_factor.html", {"enabled": True})
    device = confirmed or _pending_device(request.user)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(
                audit.Kind.TWO_FACTOR_ON,
                actor=request.user,
                target=request.user.get_username(),
                request=request,
            )
            return redirect(_setup_url())
        form.add_error("code", "That code is wrong or has expired: try the next one.")
    context = {
        "form": form,
        "secret": b32encode(device.bin_key).decode(),
        "required": _required(),
    }
    return render(request, "editorial/two_factor.html", context)


@login_required(login_url="newsroom:login")
def qr_code(request: HttpRequest) -> HttpResponse:
    """The pending device's otpauth:// address as an SVG QR code (made here:
    no call to an outside service, and the secret never leaves the site)."""
    device = _confirmed_device(request.user)
    if device is not None and request.user.is_verified():
        return HttpResponse(status=404)  # a confirmed secret is never shown again
    out = io.BytesIO()
    write_qrcode_image((device or _pending_device(request.user)).config_url, out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
