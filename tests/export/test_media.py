"""The static export carries the library's files that exported pages show."""

import re

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db(transaction=True)
MEDIA_URLS = re.compile(r"/media/images/[0-9a-f]{32}/[\w.]+")


def test_every_image_file_an_exported_page_shows_is_in_the_export(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    body_image = make_image(alt="A platen press", credit="Photo: the archive")
    featured = make_image(alt="A composing stick", size=(700, 400))
    article = make_article(
        title="Letterpress", featured_image=featured, body=f"![](media:{body_image.pk})"
    )
    target = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "static", str(target), "--jobs=1"])
    assert result.exit_code == 0, result.output
    page = (target / article.get_absolute_url().lstrip("/") / "index.html").read_text()
    credits = (target / "image-credits" / "index.html").read_text()
    shown = set(MEDIA_URLS.findall(page)) | set(MEDIA_URLS.findall(credits))
    expected = {
        f"/media/{path}"
        for image in (body_image, featured)
        for path in image.files()[1:]  # the renditions; pages never show originals
    }
    assert expected <= shown
    for url in shown:
        assert (target / url.lstrip("/")).read_bytes() == (
            tmp_path / url.removeprefix("/")
        ).read_bytes()
