"""A small site holding one of everything a backup must carry, and how to compare
two sites row by row, file by file and page by page.

Used in-process by tests/migration/test_backup.py and, through
`broadsheet manage shell`, by tests/system/test_backup.py.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

WORKS = [
    {
        "id": "moxon1683",
        "type": "book",
        "title": "Mechanick Exercises on the Whole Art of Printing",
        "author": [{"family": "Moxon", "given": "Joseph"}],
        "issued": {"date-parts": [[1683]]},
    },
    {
        "id": "acton1845",
        "type": "book",
        "title": "Modern Cookery for Private Families",
        "author": [{"family": "Acton", "given": "Eliza"}],
        "issued": {"date-parts": [[1845]]},
    },
]

BODY = """Binding a book by hand begins with folding the sheets.[^fold]
Moxon describes the press in detail [@moxon1683, p. 43].

![](media:{image})

## Sewing

Each signature is sewn to tapes.[^tapes] A kitchen scale helps weigh the glue,
as a cook weighs flour [@acton1845].

[^fold]: Folding follows the grain of the paper.
[^tapes]: Linen tapes last longer than cotton ones.
"""


def build_site() -> dict[str, str]:
    """Fill the database and MEDIA_ROOT with one of everything; return the paths
    whose pages the comparison reads."""
    from django.contrib.auth.models import User

    from broadsheet.content.models import (
        Article,
        AuthorLink,
        Republication,
        SiteSettings,
    )
    from broadsheet.editorial import workflow
    from broadsheet.editorial.models import Revision, ShareLink
    from broadsheet.editorial.roles import Role, assign
    from broadsheet.publishing.models import Redirect
    from broadsheet.publishing.services import save_article
    from broadsheet.readership.counting import flush_views, record_view
    from broadsheet.sources.services import import_works
    from tests.factories import (
        make_article,
        make_author,
        make_category,
        make_image,
        make_page,
        make_tag,
        make_user,
    )

    import_works(json.dumps(WORKS), filename="works.json")
    image = make_image(alt="A sewing frame with linen tapes", credit="Studio photo")
    binder = make_author(name="Ada Binder", slug="ada-binder")
    binder.photo.save("binder.jpg", ContentFile(image_bytes(image.file)), save=True)
    AuthorLink.objects.create(
        author=binder, label="Workshop", url="https://example.org/bindery", position=1
    )
    cook = make_author(name="Cyril Cook", slug="cyril-cook")
    crafts, kitchen = (
        make_category(name="Crafts", slug="crafts"),
        make_category(name="Kitchen", slug="kitchen"),
    )
    paper, glue = (
        make_tag(name="Paper", slug="paper"),
        make_tag(name="Glue", slug="glue"),
    )
    day = timezone.now() - datetime.timedelta(days=3)
    lead = make_article(
        title="Sewing a Book by Hand",
        slug="sewing-a-book",
        body=BODY.format(image=image.pk),
        featured_image=image,
        sticky=True,
        published_at=day,
        authors=[binder, cook],
        tags=[paper, glue],
        categories=[crafts],
    )
    Republication.objects.create(
        article=lead, venue="The Bindery Quarterly", volume_issue="vol. 2, no. 1"
    )
    second = make_article(
        title="Weighing Flour",
        slug="weighing-flour",
        body="Weigh, do not measure by cups.[^why]\n\n[^why]: Cups vary.",
        authors=[cook],
        tags=[glue],
        categories=[kitchen],
        published_at=day - datetime.timedelta(days=1),
    )
    make_article(
        title="Marbling Paper",
        slug="marbling-paper",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(days=5),
        authors=[binder],
    )
    about = make_page(title="About", slug="about", body="A site about *crafts*.")
    site_settings = SiteSettings.load()
    site_settings.tagline = "Hands at work"
    site_settings.save()
    site_settings.footer_pages.set([about])
    Redirect.objects.create(old_path="/2019/04/sewing/", article=lead)
    Redirect.objects.create(old_path="/about-us/", page=about)
    record_view(lead.pk, count=7, day=day.date())
    record_view(lead.pk, count=5)
    record_view(second.pk, count=2)
    flush_views()

    editor = make_user(Role.EDITOR, username="edith")
    editor.set_password("a long neutral passphrase")
    editor.save()
    writer = make_user(Role.CONTRIBUTOR, username="walt")
    draft = Article(title="Paste Recipes", slug="paste-recipes", body="Wheat paste.")
    save_article(draft, authors=[writer.author])
    workflow.submit_for_review(draft, writer)
    Revision.objects.create(
        article=draft, number=1, kind="saved", content={"title": "Paste Recipes"}
    )
    ShareLink.objects.create(
        article=draft,
        token_hash=ShareLink.hash_token("token"),
        created_by=editor,
        expires_at=timezone.now() + datetime.timedelta(days=2),
    )
    assign(User.objects.create_user("root-admin"), Role.ADMINISTRATOR)
    return {"article": lead.get_absolute_url(), "image": image.file}


def image_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as stream:
        return stream.read()


PAGES = [
    "/",
    "/articles/sewing-a-book/",
    "/articles/weighing-flour/",
    "/authors/",
    "/authors/ada-binder/",
    "/categories/crafts/",
    "/tags/glue/",
    "/about/",
    "/sources/",
    "/sources/moxon1683/",
    "/sources/bibliography.bib",
    "/most-read/",
    "/image-credits/",
    "/feed/",
    "/sitemap.xml",
    "/search/?q=linen",
    "/2019/04/sewing/",
    "/about-us/",
]


def _archived_rows(model):
    rows = model._base_manager.order_by("pk")
    if model._meta.label_lower == "editorial.auditevent":
        rows = rows.exclude(kind="restored")  # the restore's own line, written after
    return rows


def site_state(*, pages: bool = True) -> dict[str, object]:
    """Every archived row, every media file's checksum and every page's answer
    (with `pages`: asking for them stores the settings row an empty site lacks)."""
    from broadsheet.migration.backup.tables import archived_models

    rows = {
        model._meta.label_lower: serializers.serialize("python", _archived_rows(model))
        for model in archived_models()
    }
    root = Path(settings.MEDIA_ROOT)
    media = {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
    state: dict[str, object] = {"rows": rows, "media": media}
    if pages:
        client = Client(HTTP_HOST="127.0.0.1")
        answers = {}
        for path in PAGES:
            response = client.get(path)
            body = b"".join(response) if response.streaming else response.content
            answers[path] = (response.status_code, response.get("Location"), body)
        state["pages"] = answers
    return state


def site_state_json() -> str:
    """site_state() as JSON (pages by checksum), for comparing across processes;
    static files are named as the tests name them (no collectstatic)."""
    from django.test import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        state = site_state()
    state["pages"] = {
        path: [status, location, hashlib.sha256(body).hexdigest()]
        for path, (status, location, body) in state["pages"].items()
    }
    return json.dumps(state, default=str, sort_keys=True)


def keep_writing(stop: str, started: str) -> None:
    """Save articles, each with a new author and tag in one transaction, until the
    file `stop` exists; touch `started` after the first few."""
    from django.db import transaction

    from broadsheet.content.models import Article, Author, Tag
    from broadsheet.publishing.services import save_article

    n = 0
    while not Path(stop).exists():
        n += 1
        with transaction.atomic():
            author = Author.objects.create(name=f"Writer {n}", slug=f"writer-x{n}")
            article = Article(
                title=f"Folding {n}",
                slug=f"folding-{n}",
                body=f"Folding sheet {n}.[^n]\n\n[^n]: Along the grain.",
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            save_article(article, authors=[author])
            article.tags.add(Tag.objects.create(name=f"Fold {n}", slug=f"fold-{n}"))
        if n == 5:
            Path(started).touch()
