"""Back-office accounts: password guessing is braked, weak passwords refused."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import log_in_to_back_office

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unlikely passphrase"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user(
        "editor", password=PASSWORD, is_staff=True
    )


def test_wrong_passwords_lock_the_account_even_against_the_right_one(
    client, editor, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in_to_back_office(client, "editor", "guess")
        assert response.status_code == 200  # the form again, with its error
    locked = log_in_to_back_office(client, "editor", "guess")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    response = log_in_to_back_office(client, "editor", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_an_administrator_lifts_the_lock(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_to_back_office(client, "editor", "guess")
    call_command("axes_reset_username", "editor", verbosity=0)
    assert log_in_to_back_office(client, "editor", PASSWORD).status_code == 302


def test_a_right_password_resets_the_count_of_failures(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in_to_back_office(client, "editor", "guess")
    assert log_in_to_back_office(client, "editor", PASSWORD).status_code == 302
    client.logout()
    assert log_in_to_back_office(client, "editor", "guess").status_code == 200
    assert log_in_to_back_office(client, "editor", PASSWORD).status_code == 302


@pytest.mark.parametrize("weak", ["password", "12345678", "writer2026", "qwertyuiop"])
def test_weak_passwords_are_refused_when_set_in_the_back_office(admin_client, weak):
    user = get_user_model().objects.create_user("writer", password=PASSWORD)
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": weak, "password2": weak, "usable_password": "true"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_new_passwords_are_hashed_with_argon2(editor):
    assert editor.password.startswith("argon2$")


def test_back_office_sessions_last_hours_not_weeks(client, editor):
    log_in_to_back_office(client, "editor", PASSWORD)
    cookie = client.cookies["sessionid"]
    assert 0 < int(cookie["max-age"]) <= 24 * 3600
