"""store_upload(): uploads judged by content, refused with a reason, stored clean."""

import io
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import features

from broadsheet.media.models import Image
from broadsheet.media.services import (
    MediaRefused,
    rendition_widths,
    store_upload,
    update_image,
)
from tests.factories import image_file

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
HAS_AVIF = features.check_module("avif")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with one tiny data chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\0\0\0"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = image_file(size=(800, 600)).read()
    return data[: len(data) // 2]


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(document.cookie)</script></svg>'
)
SVG_PLAIN = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
)

REFUSED = [
    ("photo.jpg", truncated_jpeg, "damaged or truncated"),
    ("drawing.svg", lambda: SVG_WITH_SCRIPT, "SVG is not accepted"),
    ("drawing.png", lambda: SVG_PLAIN, "SVG is not accepted"),
    ("huge.png", lambda: png_claiming(10_000, 10_000), "100.0 megapixels"),
    (
        "notes.jpg",
        lambda: b"Ink is mostly soot and linseed oil.\n" * 20,
        "not an image",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "reason"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_store_upload_refuses_bad_files_with_their_reason_and_stores_nothing(
    media_root, name, make, reason
):
    with pytest.raises(MediaRefused) as refused:
        store_upload(SimpleUploadedFile(name, make()), alt="A test", user=None)
    assert reason in refused.value.message
    assert name in refused.value.message
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_store_upload_names_the_pixel_limit_and_its_setting(media_root):
    with pytest.raises(MediaRefused) as refused:
        store_upload(
            SimpleUploadedFile("huge.png", png_claiming(10_000, 10_000)), alt="Big"
        )
    assert "10000×10000" in refused.value.message
    assert "BROADSHEET_MEDIA_MAX_MEGAPIXELS" in refused.value.message


def test_store_upload_refuses_a_file_over_the_byte_limit(media_root, settings):
    settings.BROADSHEET_MEDIA_MAX_MB = 0.01  # about 10 KB
    upload = image_file("big.jpg", size=(1600, 1600))
    assert upload.size > 11_000
    with pytest.raises(MediaRefused) as refused:
        store_upload(upload, alt="A gradient")
    assert "big.jpg is" in refused.value.message and "MB" in refused.value.message
    assert "BROADSHEET_MEDIA_MAX_MB" in refused.value.message
    assert not Image.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize("alt", ["", "   \n "], ids=["empty", "blank"])
def test_store_upload_refuses_an_image_without_alt_text(media_root, alt):
    with pytest.raises(MediaRefused) as refused:
        store_upload(image_file(), alt=alt)
    assert "Alt text is required" in refused.value.message
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_a_failure_while_writing_leaves_no_file_behind(media_root, monkeypatch):
    def refuse_row(**fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Image.objects, "create", refuse_row)
    with pytest.raises(RuntimeError):
        store_upload(image_file(), alt="A gradient")
    assert stored_files(media_root) == []


def test_store_upload_keeps_the_facts_and_makes_renditions_no_wider_than_it(
    media_root, django_user_model
):
    user = django_user_model.objects.create_user("picture-editor")
    image = store_upload(
        image_file("press.jpg", size=(1200, 800)),
        alt="  A hand press  ",
        credit="Photo: the archive",
        user=user,
    )
    assert (image.width, image.height, image.format) == (1200, 800, "JPEG")
    assert image.alt == "A hand press" and image.uploaded_by == user
    assert image.file.startswith("images/")
    original = media_root / image.file
    assert original.stat().st_size == image.bytes
    assert [(r["width"], r["height"]) for r in image.renditions] == [
        (480, 320),
        (960, 640),
        (1200, 800),
    ]
    for rendition in image.renditions:
        with PILImage.open(media_root / rendition["file"]) as stored:
            assert stored.size == (rendition["width"], rendition["height"])
            assert stored.format == "WEBP"


def test_rendition_widths_stop_at_the_original_width():
    assert rendition_widths(300) == [300]
    assert rendition_widths(960) == [480, 960]
    assert rendition_widths(4000) == [480, 960, 1600]


def test_gps_and_other_exif_are_removed_from_original_and_renditions(media_root):
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0131] = "Editing software"  # Software
    exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    upload = image_file("located.jpg", exif=exif.tobytes())
    with PILImage.open(io.BytesIO(upload.read())) as sent:
        assert GPS_IFD in sent.getexif()  # the test file really carries GPS
    upload.seek(0)
    image = store_upload(upload, alt="A located picture")
    for path in image.files():
        data = (media_root / path).read_bytes()
        assert b"Camera maker" not in data and b"Editing software" not in data
        with PILImage.open(media_root / path) as stored:
            assert GPS_IFD not in stored.getexif()
            assert len(stored.getexif()) == 0


def test_exif_orientation_is_applied_to_the_pixels(media_root):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    image = store_upload(
        image_file("turned.jpg", size=(600, 400), exif=exif.tobytes()), alt="Turned"
    )
    assert (image.width, image.height) == (400, 600)
    with PILImage.open(media_root / image.file) as stored:
        assert stored.size == (400, 600) and 0x0112 not in stored.getexif()


@pytest.mark.parametrize("format", ["PNG", "WEBP", "GIF", *(["AVIF"] * HAS_AVIF)])
def test_other_accepted_formats_are_stored_in_their_own_format(media_root, format):
    image = store_upload(
        image_file(f"picture.{format.lower()}", size=(500, 300), format=format),
        alt="A gradient",
    )
    assert image.format == format
    with PILImage.open(media_root / image.file) as stored:
        assert stored.format == format


def test_update_image_changes_alt_and_credit_and_refuses_empty_alt(media_root):
    image = store_upload(image_file(), alt="First words")
    update_image(image, alt="A type case", credit="Drawing: a printer")
    image.refresh_from_db()
    assert (image.alt, image.credit) == ("A type case", "Drawing: a printer")
    with pytest.raises(MediaRefused, match="Alt text is required"):
        update_image(image, alt=" ", credit="")
    image.refresh_from_db()
    assert image.alt == "A type case"


def test_an_animated_gif_keeps_its_frames(media_root):
    frames = [PILImage.new("RGB", (300, 200), (40 * n, 90, 160)) for n in range(4)]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="GIF", save_all=True, append_images=frames[1:], duration=80
    )
    image = store_upload(SimpleUploadedFile("spin.gif", buffer.getvalue()), alt="Spin")
    with PILImage.open(media_root / image.file) as stored:
        assert stored.n_frames == 4
    assert [r["width"] for r in image.renditions] == [300]


def test_an_animation_is_held_to_the_pixel_limit_across_its_frames(
    media_root, settings
):
    settings.BROADSHEET_MEDIA_MAX_MEGAPIXELS = 0.2  # 200,000 pixels
    frames = [PILImage.new("RGB", (300, 200), (40 * n, 90, 160)) for n in range(4)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(MediaRefused, match="in 4 frames"):
        store_upload(SimpleUploadedFile("spin.gif", buffer.getvalue()), alt="Spin")
    assert stored_files(media_root) == []
