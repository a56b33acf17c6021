"""Attachments into the media library: files, references, featured images, galleries."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from broadsheet.content.models import Article
from broadsheet.media.models import Image
from broadsheet.migration.models import ImportedItem
from broadsheet.migration.wordpress.load import import_wordpress
from tests.migration.wxr import attachment, item, upload_url

pytestmark = pytest.mark.django_db

PRESS = "2019/04/press.jpg"
TYPE = "2019/04/type-case.png"


def picture(size=(1200, 800), fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    PILImage.linear_gradient("L").resize(size).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path) -> Path:
    """A copy of wp-content/uploads holding two images."""
    folder = tmp_path / "uploads"
    (folder / "2019/04").mkdir(parents=True)
    (folder / PRESS).write_bytes(picture())
    (folder / TYPE).write_bytes(picture((600, 400), "PNG"))
    return folder


def body_with_images() -> str:
    return (
        "<!-- wp:paragraph --><p>The platen comes down.</p><!-- /wp:paragraph -->\n"
        '<!-- wp:image {"id":31} --><figure class="wp-block-image">'
        f'<a href="{upload_url(PRESS)}">'
        f'<img src="{upload_url("2019/04/press-1024x683.jpg")}"'
        ' alt="" class="wp-image-31"/></a>'
        "<figcaption>An Albion press at rest</figcaption></figure><!-- /wp:image -->\n"
        f'<p>A case: <img src="{upload_url(TYPE)}" alt="Type case"></p>'
    )


def an_export(write_export, **post):
    return write_export(
        item(21, slug="the-platen", content=body_with_images(), **post),
        attachment(
            31,
            PRESS,
            parent=21,
            alt="An iron hand press",
            caption="The Albion, 1822",
            meta=[("_media_credit", "Printing Museum")],
        ),
        attachment(32, TYPE, parent=21, alt="A wooden type case"),
    )


def test_attachments_enter_the_library_with_alt_text_and_credit(write_export, uploads):
    report = import_wordpress(an_export(write_export), media_dir=uploads)
    press = Image.objects.get(alt="An iron hand press")
    assert press.credit == "Printing Museum"
    assert (press.width, press.format) == (1200, "JPEG")
    assert default_storage.exists(press.file)
    assert Image.objects.get(alt="A wooden type case").format == "PNG"
    assert report.counts["images imported"] == 2
    assert ImportedItem.objects.get(wp_id=31).image == press


def test_post_images_point_at_the_library_with_the_caption_as_title(
    write_export, uploads
):
    import_wordpress(an_export(write_export), media_dir=uploads)
    article = Article.objects.get()
    press = Image.objects.get(alt="An iron hand press")
    case = Image.objects.get(alt="A wooden type case")
    # The resized copy is found as its original; the link to the file goes.
    shown = f'![An iron hand press](media:{press.pk} "An Albion press at rest")'
    assert shown in article.body  # alt text from the library when the post had none
    assert f"![Type case](media:{case.pk})" in article.body
    assert "wp-content" not in article.body
    assert press.renditions[-1]["file"] in article.body_html
    assert "An Albion press at rest" in article.body_html
    assert "Printing Museum" in article.body_html  # the credit, under the image


def test_the_featured_image_comes_from_the_thumbnail_id(write_export, uploads):
    path = an_export(write_export, meta=[("_thumbnail_id", "32")])
    import_wordpress(path, media_dir=uploads)
    assert Article.objects.get().featured_image.alt == "A wooden type case"


def test_without_media_dir_every_upload_is_reported_and_its_url_kept(write_export):
    path = an_export(write_export, meta=[("_thumbnail_id", "31")])
    report = import_wordpress(path)
    article = Article.objects.get()
    assert Image.objects.count() == 0
    assert article.featured_image is None
    assert f"![Type case]({upload_url(TYPE)})" in article.body
    missing = [str(line) for line in report.missing_media]
    label = "post 21 \u201cA note on type\u201d"
    assert missing == [
        f"{label}: {upload_url('2019/04/press-1024x683.jpg')}",
        f"{label}: {upload_url(TYPE)}",
        f"{label}: featured image {upload_url(PRESS)}",
    ]
    assert any(
        line.startswith("Media files not in the library (old URL kept) (3):")
        for line in report.lines()
    )


def test_a_file_missing_from_media_dir_is_reported(write_export, uploads):
    (uploads / TYPE).unlink()
    report = import_wordpress(an_export(write_export), media_dir=uploads)
    assert Image.objects.count() == 1
    assert [line.message for line in report.missing_media] == [upload_url(TYPE)]


def test_an_unsafe_image_address_is_dropped_not_kept(write_export):
    body = '<p>Ink <img src="javascript:alert(1)" alt="x"> rollers.</p>'
    report = import_wordpress(write_export(item(5, content=body)))
    assert "javascript" not in Article.objects.get().body
    assert any("dropped" in warning for warning in report.warnings)


def test_path_traversal_in_the_attached_file_is_refused(
    write_export, uploads, tmp_path
):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(picture())
    path = write_export(
        item(21, content="<p>Text.</p>"),
        attachment(40, "../secret.jpg"),
        attachment(41, "/etc/passwd"),
        attachment(42, "2019/../../secret.jpg"),
    )
    report = import_wordpress(path, media_dir=uploads)
    assert Image.objects.count() == 0
    refused = [w for w in report.warnings if "leaves the uploads folder" in w]
    assert len(refused) == 3


def test_a_symbolic_link_out_of_media_dir_is_refused(write_export, uploads, tmp_path):
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(picture())
    (uploads / "2019/04/linked.jpg").symlink_to(outside)
    path = write_export(attachment(43, "2019/04/linked.jpg"))
    report = import_wordpress(path, media_dir=uploads)
    assert Image.objects.count() == 0
    assert any("leaves --media-dir" in w for w in report.warnings)


def test_a_file_the_library_refuses_keeps_its_url(write_export, uploads):
    (uploads / "2019/04/catalogue.pdf").write_bytes(b"%PDF-1.4 not an image")
    path = write_export(attachment(44, "2019/04/catalogue.pdf"))
    report = import_wordpress(path, media_dir=uploads)
    assert Image.objects.count() == 0
    assert any("not taken into the media library" in w for w in report.warnings)


def test_a_re_run_reuses_the_images(write_export, uploads):
    path = an_export(write_export)
    import_wordpress(path, media_dir=uploads)
    report = import_wordpress(path, media_dir=uploads)
    assert Image.objects.count() == 2
    assert report.counts["images kept from an earlier import"] == 2


def test_a_dry_run_leaves_no_image_and_no_file(write_export, uploads, settings):
    report = import_wordpress(an_export(write_export), media_dir=uploads, dry_run=True)
    assert report.counts["images imported"] == 2
    assert Image.objects.count() == 0
    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not any(
        p.is_file() for p in media_root.rglob("*")
    )


def test_attachments_after_their_post_are_found_too(write_export, uploads):
    # WordPress exports in id order; the attachment may come before or after.
    path = write_export(
        attachment(31, PRESS, alt="An iron hand press"),
        item(50, content=f'<p><img src="{upload_url(PRESS)}" alt="Press"></p>'),
    )
    import_wordpress(path, media_dir=uploads)
    assert "media:" in Article.objects.get().body


GALLERY_BLOCK = (
    '<!-- wp:gallery {"linkTo":"none"} -->'
    '<figure class="wp-block-gallery has-nested-images columns-2">'
    '<!-- wp:image {"id":31} --><figure class="wp-block-image">'
    f'<img src="{upload_url(PRESS)}" alt="" data-id="31" class="wp-image-31"/>'
    "<figcaption>The press</figcaption></figure><!-- /wp:image -->"
    '<!-- wp:image {"id":32} --><figure class="wp-block-image">'
    f'<img src="{upload_url(TYPE)}" alt="Cases" data-id="32" class="wp-image-32"/>'
    "</figure><!-- /wp:image -->"
    '<figcaption class="blocks-gallery-caption">A composing room</figcaption>'
    "</figure><!-- /wp:gallery -->"
)


def gallery_export(write_export, content: str):
    return write_export(
        item(21, content=content),
        attachment(31, PRESS, parent=21, alt="An iron hand press", caption="Albion"),
        attachment(32, TYPE, parent=21, alt="A wooden type case"),
    )


@pytest.mark.parametrize(
    "content",
    ['<p>Before.</p>\n[gallery ids="31,32"]', "<p>Before.</p>\n[gallery]"],
    ids=["ids", "attached"],
)
def test_a_gallery_shortcode_becomes_a_run_of_library_images(
    write_export, uploads, content
):
    import_wordpress(gallery_export(write_export, content), media_dir=uploads)
    press, case = (
        Image.objects.get(alt=a) for a in ("An iron hand press", "A wooden type case")
    )
    assert Article.objects.get().body == (
        "Before.\n\n"
        f'![An iron hand press](media:{press.pk} "Albion")\n\n'
        f"![A wooden type case](media:{case.pk})\n"
    )


def test_a_gallery_block_becomes_a_run_of_library_images(write_export, uploads):
    import_wordpress(gallery_export(write_export, GALLERY_BLOCK), media_dir=uploads)
    press, case = (
        Image.objects.get(alt=a) for a in ("An iron hand press", "A wooden type case")
    )
    article = Article.objects.get()
    assert article.body == (
        f'![An iron hand press](media:{press.pk} "The press")\n\n'
        f"![Cases](media:{case.pk})\n\n"
        "A composing room\n"
    )
    assert article.body_html.count('<figure class="media-figure">') == 2


def test_without_the_library_a_gallery_becomes_links_with_captions(write_export):
    report = import_wordpress(
        gallery_export(write_export, GALLERY_BLOCK + '\n[gallery ids="31,99"]')
    )
    body = Article.objects.get().body
    assert f"[The press]({upload_url(PRESS)})" in body
    assert f"[Cases]({upload_url(TYPE)})" in body
    assert f"[Albion]({upload_url(PRESS)})" in body  # the shortcode's, captioned
    assert "<img" not in Article.objects.get().body_html
    assert len(report.missing_media) == 2  # each file once per post
    assert any("attachment 99, not in the export" in w for w in report.warnings)


def test_an_image_linked_to_its_attachment_page_loses_the_link(write_export, uploads):
    page = "https://old.example.org/the-platen/press/"
    body = f'<p><a href="{page}"><img src="{upload_url(PRESS)}" alt="Press"></a></p>'
    path = write_export(
        item(21, slug="the-platen", content=body),
        attachment(31, PRESS, parent=21, alt="An iron hand press", link=page),
    )
    import_wordpress(path, media_dir=uploads)
    image = Image.objects.get()
    assert Article.objects.get().body == f"![Press](media:{image.pk})\n"
