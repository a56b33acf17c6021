"""Work rows: what any path that saves them may store, and what rendering reads."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from broadsheet.sources.models import Work, WorkLookup

pytestmark = pytest.mark.django_db

SCRIPT_URLS = [
    "javascript:alert(1)//http://x",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_saving_a_work_refuses_a_url_that_is_not_a_web_link(url):
    with pytest.raises(ValidationError, match="URL"):
        Work.objects.create(key="ink1901", csl={"type": "book", "URL": url})

    assert not Work.objects.exists()


def test_saving_a_work_refuses_a_doi_that_is_a_script_link():
    with pytest.raises(ValidationError, match="DOI"):
        Work.objects.create(key="ink1901", csl={"type": "book", "DOI": "javascript:1"})


def test_web_links_and_plain_dois_are_stored():
    work = Work.objects.create(
        key="ink1901",
        csl={"type": "book", "URL": "https://example.org/ink", "DOI": "10.5555/ink"},
    )

    assert work.csl["URL"] == "https://example.org/ink" and work.doi == "10.5555/ink"


def test_rendering_never_sees_the_script_url_of_a_row_stored_before_the_checks():
    Work.objects.bulk_create(
        [
            Work(
                key="ink1901",
                csl={"type": "book", "title": "Ink", "URL": "javascript:x"},
            )
        ]
    )

    assert WorkLookup()["ink1901"] == {"id": "ink1901", "type": "book", "title": "Ink"}


def test_work_admin_names_the_script_url_and_stores_nothing(client):
    admin = get_user_model().objects.create_superuser("ed", password="x" * 20)
    client.force_login(admin)

    response = client.post(
        "/admin/sources/work/add/",
        {"key": "ink1901", "csl": '{"type": "book", "URL": "javascript:alert(1)"}'},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "must start with http:// or https://" in errors["csl"][0]
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("csl", "message"),
    [
        ('{"type": "book", "author": "Jane Doe"}', "author must be a list of names"),
        ('{"type": "book", "issued": "2001"}', "issued must be a date object"),
        ('{"type": "book", "title": ["Ink"]}', "title must be text or a number"),
        ('["book"]', "a CSL-JSON record must be an object, not a list"),
        ('"book"', "a CSL-JSON record must be an object, not text"),
    ],
)
def test_work_admin_names_a_field_of_the_wrong_type(client, csl, message):
    admin = get_user_model().objects.create_superuser("ed", password="x" * 20)
    client.force_login(admin)

    response = client.post("/admin/sources/work/add/", {"key": "ink1901", "csl": csl})

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["csl"][0]
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("press/1902", "may only hold letters, digits"),
        ("two words", "may only hold letters, digits"),
        ("k" * 101, "101 characters long; at most 100"),
    ],
)
def test_saving_a_work_refuses_a_key_without_a_page_address(key, message):
    with pytest.raises(ValidationError, match=message):
        Work.objects.create(key=key, csl={"type": "book"})


def test_keys_in_common_bibtex_styles_are_accepted():
    for key in ("marlow1998", "Marlow:1998a", "van_der_berg.1859", "müller-1862"):
        Work.objects.create(key=key, csl={"type": "book"})

    assert Work.objects.count() == 4
