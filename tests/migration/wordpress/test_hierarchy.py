"""WordPress's category hierarchy, kept: sections inside sections."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from broadsheet.content.models import Category
from broadsheet.migration.wordpress.load import import_wordpress
from tests.migration.wxr import author, category, item
from tests.serving.wsgi import request, site_settings_exist, warm  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def sections_nav(path: str) -> list[tuple[str, str]]:
    status, _headers, body = request(path)
    assert status == 200
    nav = BeautifulSoup(body, "html.parser").select_one(".list-sections")
    return [(a.get_text(), a["href"]) for a in nav.select("a")] if nav else []


def test_a_child_category_sits_inside_its_parent_and_both_pages_say_so(write_export):
    import_wordpress(
        write_export(
            item(1, categories=[("letterpress", "Letterpress")]),
            header=[
                author("ada", "Ada Compositor"),
                category("printing", "Printing"),
                category("letterpress", "Letterpress", parent="printing"),
                category("offset", "Offset", parent="printing"),
            ],
        )
    )
    printing = Category.objects.get(slug="printing")
    assert set(printing.children.values_list("slug", flat=True)) == {
        "letterpress",
        "offset",
    }
    assert sections_nav("/categories/letterpress/") == [
        ("Printing", "/categories/printing/")
    ]
    assert sections_nav("/categories/printing/") == [
        ("Letterpress", "/categories/letterpress/"),
        ("Offset", "/categories/offset/"),
    ]

    warm("/categories/letterpress/")
    printing.name = "Print Shop"
    printing.save()  # its name is on the child's page: that page is retired
    assert sections_nav("/categories/letterpress/") == [
        ("Print Shop", "/categories/printing/")
    ]
    Category.objects.create(name="Gravure", slug="gravure", parent=printing)
    assert ("Gravure", "/categories/gravure/") in sections_nav("/categories/printing/")


def test_a_loop_or_a_missing_parent_is_reported_and_left_at_the_top(write_export):
    report = import_wordpress(
        write_export(
            item(1),
            header=[
                author("ada", "Ada Compositor"),
                category("ink", "Ink", parent="paper"),
                category("paper", "Paper", parent="ink"),
                category("lead", "Lead", parent="antimony"),
            ],
        )
    )
    parents = dict(Category.objects.values_list("slug", "parent__slug"))
    assert parents == {"ink": "paper", "paper": None, "lead": None}
    assert report.warnings == [
        "category paper: under ink would make a loop; left at the top",
        "category lead: its parent 'antimony' is not in the export",
    ]


def test_an_editors_parent_is_kept_on_a_later_import(write_export):
    path = write_export(
        item(1),
        header=[
            author("ada", "Ada Compositor"),
            category("printing", "Printing"),
            category("letterpress", "Letterpress", parent="printing"),
        ],
    )
    import_wordpress(path)
    crafts = Category.objects.create(name="Crafts", slug="crafts")
    Category.objects.filter(slug="letterpress").update(parent=crafts)
    import_wordpress(path)
    assert Category.objects.get(slug="letterpress").parent == crafts


def test_the_back_office_refuses_a_section_inside_its_own_section(
    client, django_user_model
):
    printing = Category.objects.create(name="Printing", slug="printing")
    letterpress = Category.objects.create(
        name="Letterpress", slug="letterpress", parent=printing
    )
    admin = django_user_model.objects.create_superuser("chief", "c@example.org", "x")
    client.force_login(admin)
    answer = client.post(
        f"/admin/content/category/{printing.pk}/change/",
        {
            "name": "Printing",
            "slug": "printing",
            "description": "",
            "parent": letterpress.pk,
        },
    )
    assert answer.status_code == 200  # the form again, with the problem
    assert "cannot sit inside itself or its own sections" in answer.content.decode()
    printing.refresh_from_db()
    assert printing.parent is None
