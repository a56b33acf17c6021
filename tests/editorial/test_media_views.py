"""The newsroom's media library over HTTP: who may upload, what is refused and why."""

import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.editorial.roles import Role, assign
from broadsheet.media.models import Image
from tests.factories import image_file, make_article, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _member(role: Role, name: str):
    user = get_user_model().objects.create_user(name, password="not used here")
    assign(user, role)
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(_member(Role.EDITOR, "picture-editor"))
    return client


@pytest.fixture
def contributor_client(client):
    client.force_login(_member(Role.CONTRIBUTOR, "contributor"))
    return client


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def errors_on(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in soup.select(".field-errors"))


def png_claiming_10000_by_10000() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    size = (10_000).to_bytes(4, "big") * 2
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", size + b"\x08\x02\0\0\0")
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = image_file(size=(900, 600)).read()
    return data[: len(data) * 2 // 3]


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/newsroom/")'
    b"</script></svg>"
)

REFUSALS = [
    ("truncated.jpg", truncated_jpeg, "damaged or truncated"),
    ("drawing.svg", lambda: SVG_WITH_SCRIPT, "SVG is not accepted"),
    ("huge.png", png_claiming_10000_by_10000, "100.0 megapixels"),
    ("recipe.jpg", lambda: b"Knead the dough for ten minutes.\n" * 30, "not an image"),
]


def test_an_editor_uploads_an_image_and_sees_it_in_the_library(
    editor_client, media_root
):
    response = editor_client.post(
        "/newsroom/media/upload/",
        {
            "file": image_file("press.jpg", size=(2000, 1000)),
            "alt": "A hand press",
            "credit": "Photo: the print museum",
        },
    )
    image = Image.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/newsroom/media/{image.pk}/"
    assert image.credit == "Photo: the print museum"
    assert image.uploaded_by.get_username() == "picture-editor"
    assert len(files_in(media_root)) == 1 + len(image.renditions) == 4
    library = editor_client.get("/newsroom/media/")
    soup = BeautifulSoup(library.content, "html.parser")
    thumb = soup.select_one(".media-grid img")
    assert thumb["alt"] == "A hand press" and thumb["src"] == image.thumbnail_url
    assert "Photo: the print museum" in soup.select_one(".media-credit").get_text()


def test_a_contributor_may_browse_but_not_upload(contributor_client, media_root):
    make_image(alt="A composing stick")
    assert contributor_client.get("/newsroom/media/").status_code == 200
    response = contributor_client.post(
        "/newsroom/media/upload/", {"file": image_file(), "alt": "A case of type"}
    )
    assert response.status_code == 403
    assert Image.objects.count() == 1


def test_a_contributor_may_not_change_an_images_text(contributor_client, media_root):
    image = make_image(alt="A composing stick")
    response = contributor_client.post(
        f"/newsroom/media/{image.pk}/", {"alt": "Changed", "credit": ""}
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.alt == "A composing stick"


def test_the_library_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/newsroom/media/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "make", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_bad_uploads_are_refused_with_their_reason_on_the_page_and_nothing_stored(
    editor_client, media_root, name, make, reason
):
    response = editor_client.post(
        "/newsroom/media/upload/",
        {"file": SimpleUploadedFile(name, make()), "alt": "Something", "credit": ""},
    )
    assert response.status_code == 400
    shown = errors_on(response)
    assert reason in shown and name in shown
    assert not Image.objects.exists()
    assert files_in(media_root) == []


def test_an_upload_without_alt_text_is_refused_on_the_alt_field(
    editor_client, media_root
):
    response = editor_client.post(
        "/newsroom/media/upload/", {"file": image_file(), "alt": "", "credit": ""}
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    alt_field = soup.select_one("#id_alt").find_parent(class_="form-field")
    assert "Alt text is required" in alt_field.get_text()
    assert not Image.objects.exists() and files_in(media_root) == []


def test_the_json_listing_gives_what_the_insert_image_button_needs(
    contributor_client, media_root
):
    image = make_image(alt="A [proof] sheet", credit="Scan: the archive")
    response = contributor_client.get("/newsroom/media/?format=json")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/json"
    )
    assert response.json() == {
        "images": [
            {
                "id": image.pk,
                "alt": "A [proof] sheet",
                "credit": "Scan: the archive",
                "thumb_url": image.thumbnail_url,
                "markdown": f"![A \\[proof\\] sheet](media:{image.pk})",
            }
        ]
    }
    assert image.thumbnail_url.startswith("/media/images/")


def test_editing_the_credit_re_renders_the_articles_that_show_it(
    editor_client, media_root
):
    image = make_image(alt="A type case", credit="Photo: first")
    article = make_article(body=f"Before.\n\n![](media:{image.pk})\n")
    assert "Photo: first" in article.body_html
    response = editor_client.post(
        f"/newsroom/media/{image.pk}/",
        {"alt": "A type case", "credit": "Photo: second"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "Photo: second" in article.body_html
    page = editor_client.get(f"/newsroom/media/{image.pk}/")
    assert article.title in page.content.decode()


def test_uploaded_images_are_served_with_their_type_and_nosniff(client, media_root):
    image = make_image(alt="A platen")
    original = client.get(image.url)
    assert original["Content-Type"] == "image/jpeg"
    assert original["X-Content-Type-Options"] == "nosniff"
    rendition = client.get(image.thumbnail_url)
    assert rendition["Content-Type"] == "image/webp"
    assert "max-age=31536000" in rendition["Cache-Control"]
    assert "immutable" in rendition["Cache-Control"]
    assert b"".join(rendition.streaming_content)[:4] == b"RIFF"


def test_a_file_in_media_root_that_is_not_an_image_is_never_served_as_html(
    client, media_root
):
    (media_root / "images").mkdir(parents=True)
    (media_root / "images" / "page.html").write_text("<script>alert(1)</script>")
    response = client.get("/media/images/page.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "attachment"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db(transaction=True)
def test_editing_a_credit_retires_the_cached_pages_that_show_it(
    editor_client, media_root
):
    from tests.serving.wsgi import request, warm

    image = make_image(alt="A sewing frame", credit="Photo: first")
    article = make_article(featured_image=image)
    warm("/image-credits/", article.get_absolute_url())
    editor_client.post(
        f"/newsroom/media/{image.pk}/",
        {"alt": "A sewing frame", "credit": "Photo: second"},
    )
    assert b"Photo: second" in request("/image-credits/")[2]
    assert b"Photo: second" in request(article.get_absolute_url())[2]


def test_a_contributor_sees_an_images_markdown_but_no_edit_form(
    contributor_client, media_root
):
    image = make_image(alt="A bone folder", credit="Photo: the bindery")
    response = contributor_client.get(f"/newsroom/media/{image.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#media-markdown")["value"] == image.markdown
    assert soup.select_one("form #id_alt") is None


def test_the_json_listing_finds_images_by_alt_text_or_credit(
    contributor_client, media_root
):
    press = make_image(alt="A hand press", credit="Photo: the museum")
    make_image(alt="A type case", credit="Drawing: the archive")
    found = contributor_client.get("/newsroom/media/?format=json&q=museum").json()
    assert [item["id"] for item in found["images"]] == [press.pk]
