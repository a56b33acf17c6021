"""Links readers can click are scheme-checked in the database, whatever saves them."""

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction

from broadsheet.content.models import AuthorLink, Republication, SiteSettings
from broadsheet.sources.url_schemes import has_allowed_scheme
from tests.factories import make_article, make_author

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SCRIPT_URLS = [
    "javascript:alert(1)//http://x",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "jav&#x09;ascript:alert(1)",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_orm_refuses_a_script_url_on_every_link_field(url):
    author = make_author()
    article = make_article()
    attempts = [
        lambda: AuthorLink.objects.create(author=author, label="Site", url=url),
        lambda: Republication.objects.create(article=article, venue="V", url=url),
        lambda: SiteSettings.objects.update_or_create(
            pk=1, defaults={"donation_url": url}
        ),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert not AuthorLink.objects.exists() and not Republication.objects.exists()


def test_orm_keeps_web_and_mail_links():
    author = make_author()
    AuthorLink.objects.create(author=author, label="Web", url="https://example.org/")
    AuthorLink.objects.create(author=author, label="Mail", url="mailto:a@example.org")
    Republication.objects.create(
        article=make_article(), venue="V", url="HTTP://example.org/original"
    )
    assert AuthorLink.objects.count() == 2 and Republication.objects.count() == 1


def test_admin_refuses_a_script_url_on_the_field(admin_client):
    response = admin_client.post(
        "/admin/content/sitesettings/add/",
        {
            "site_name": "Broadsheet",
            "donation_url": "javascript:alert(1)",
            "donation_label": "Give",
            "citation_style": "chicago-notes-bibliography",
        },
    )
    assert response.status_code == 200
    field_row = BeautifulSoup(response.content, "html.parser").select_one(
        ".field-donation_url"
    )
    assert field_row.select(".errorlist li")
    assert not SiteSettings.objects.filter(donation_url__contains="script").exists()


def test_mailto_is_refused_where_only_web_links_belong():
    assert not has_allowed_scheme("mailto:a@example.org", ("http", "https"))
    assert has_allowed_scheme("", ("http", "https"))
