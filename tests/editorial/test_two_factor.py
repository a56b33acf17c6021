"""Two-factor authentication (issue 16 part B): staff turn it on with an
authenticator app, then every login asks for its code; the site can require it
of editors and administrators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from broadsheet.content.models import SiteSettings
from broadsheet.editorial.models import AuditEvent
from broadsheet.editorial.roles import Role, assign

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unlikely passphrase"


@pytest.fixture(autouse=True)
def no_throttle(settings, request):
    # A wrong code delays the next try (1 s, 2 s, 4 s...): tests that follow a wrong
    # code with the right one at once turn that off; the throttle has its own test.
    if "throttle" not in request.node.name:
        settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.drift = offset
    return f"{totp.token():0{device.digits}d}"


def account(name: str = "chief", role: Role = Role.EDITOR) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    assign(user, role)
    return user


def newsroom_login(client: Client, name: str, code: str = ""):
    return client.post(
        "/newsroom/login/",
        {"username": name, "password": PASSWORD, "otp_token": code},
    )


def test_an_editor_turns_it_on_by_scanning_and_giving_one_code():
    user = account()
    client = Client()
    client.force_login(user)

    page = client.get("/newsroom/account/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    qr = client.get("/newsroom/account/two-factor/qr.svg")
    wrong = client.post("/newsroom/account/two-factor/", {"code": "000000"})
    right = client.post("/newsroom/account/two-factor/", {"code": code_for(device)})

    assert 'src="/newsroom/account/two-factor/qr.svg"' in page
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert "wrong or has expired" in wrong.content.decode()
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_ON).exists()
    done = client.get("/newsroom/account/two-factor/").content.decode()
    assert "Two-factor authentication is on" in done
    assert client.get("/newsroom/account/two-factor/qr.svg").status_code == 404


def test_with_a_device_the_newsroom_login_needs_the_code():
    user = account()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    no_code = newsroom_login(Client(), "chief")
    wrong = newsroom_login(Client(), "chief", "123456")
    client = Client()
    right = newsroom_login(client, "chief", code_for(device))

    assert "give the code your authenticator app shows" in no_code.content.decode()
    assert "_auth_user_id" not in wrong.wsgi_request.session
    assert right.status_code == 302
    assert client.get("/newsroom/").status_code == 200


def test_without_a_device_the_password_is_enough():
    account(role=Role.AUTHOR)
    client = Client()

    assert newsroom_login(client, "chief").status_code == 302
    assert client.get("/newsroom/").status_code == 200


def test_the_admin_login_asks_for_the_code_too():
    user = account(role=Role.ADMINISTRATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    form = {"username": "chief", "password": PASSWORD, "next": "/admin/"}

    page = Client().get("/admin/login/").content.decode()
    refused = Client().post("/admin/login/?next=/admin/", form)
    client = Client()
    allowed = client.post(
        "/admin/login/?next=/admin/", form | {"otp_token": code_for(device)}
    )

    assert 'name="otp_token"' in page
    assert refused.status_code == 200 and "authenticator" in refused.content.decode()
    assert allowed.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_when_required_an_editor_must_set_it_up_and_an_author_need_not():
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_two_factor": True})
    editor, writer = Client(), Client()
    editor.force_login(account("chief", Role.EDITOR))
    writer.force_login(account("writer", Role.AUTHOR))

    sent = editor.get("/newsroom/")
    admin = editor.get("/admin/")

    assert sent.status_code == 302
    assert sent["Location"] == "/newsroom/account/two-factor/"
    assert admin["Location"] == "/newsroom/account/two-factor/"
    page = editor.get(sent["Location"]).content.decode()
    assert "This site requires two-factor" in page
    assert writer.get("/newsroom/").status_code == 200


def test_when_required_a_session_without_a_code_is_sent_back_to_log_in():
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_two_factor": True})
    user = account()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)  # a session from before the device, with no code

    sent = client.get("/newsroom/")
    assert sent.status_code == 302
    assert sent["Location"].startswith("/newsroom/login/")
    assert "_auth_user_id" not in client.session
    newsroom_login(client, "chief", code_for(device))
    assert client.get("/newsroom/").status_code == 200


def test_a_wrong_code_throttles_the_next_tries_even_with_the_right_code(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute: the machine may be slow
    user = account()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    newsroom_login(Client(), "chief", "123456")
    client = Client()
    right_too_soon = newsroom_login(client, "chief", code_for(device))

    assert right_too_soon.status_code == 200
    assert "temporarily disabled" in right_too_soon.content.decode()
    assert "_auth_user_id" not in client.session
