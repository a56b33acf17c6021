"""Attachments of an export: brought into the media library, found again by URL.

A WordPress post shows its images by the URL of the uploaded file (or of a
resized copy, `press-1024x683.jpg` for `press.jpg`), names its featured image by
attachment id (`_thumbnail_id`) and its galleries by ids or by the post they
were attached to. The import reads the attachments first (a pass of its own
over the file, so posts that come before their attachments still find them),
stores each file found under --media-dir with the library's own checks
(`media.services.store_upload`: content sniffed, metadata stripped,
renditions made), and keeps per attachment only what posts need to find it:
memory grows with the number of attachments, not with their files or the posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.storage import default_storage

from broadsheet.media.models import Image
from broadsheet.media.services import MediaRefused, store_upload
from broadsheet.migration.models import ImportedItem
from broadsheet.migration.report import ImportReport
from broadsheet.migration.wordpress.convert import ImageRef, plain_text
from broadsheet.migration.wordpress.records import WxrItem

UPLOADS = "/wp-content/uploads/"
CREDIT_KEYS = ("_media_credit", "_wp_attachment_image_credit")  # common plugins'


@dataclass
class Attachment:
    """What posts need of one attachment: where it was, and what it became."""

    wp_id: int
    url: str
    file: str  # under uploads, checked: no "..", not absolute
    parent: int
    link: str  # its attachment page
    alt: str
    caption: str
    image_id: int | None = None
    image_url: str = ""


class MediaLibrary:
    """The attachments of one export, by id and by uploads path."""

    def __init__(
        self, report: ImportReport, media_dir: Path | None, source: str = ""
    ) -> None:
        self.report = report
        self.media_dir = media_dir.resolve() if media_dir else None
        self.source = source
        self.host = _host(source)
        self.by_id: dict[int, Attachment] = {}
        self.by_file: dict[str, int] = {}
        self.by_parent: dict[int, list[int]] = {}
        self.pages: set[str] = set()  # attachment pages' paths
        self.stored_files: list[str] = []  # written this run: removed on rollback

    def set_source(self, address: str) -> None:
        """The site the export came from: its uploads URLs are this host's."""
        self.source = address
        self.host = _host(address)

    def remove_stored_files(self) -> None:
        """Delete the files this run stored, once their rows were rolled back."""
        for name in self.stored_files:
            default_storage.delete(name)
        self.stored_files.clear()

    def add(self, item: WxrItem) -> None:
        """Take in an attachment item; store its file when --media-dir has it."""
        label = f"attachment {item.wp_id}"
        raw = item.meta_value("_wp_attached_file") or self.upload_path(
            item.attachment_url
        )
        file = _checked_relative(raw or "")
        if raw and file is None:
            self.report.warn(
                f"{label}: _wp_attached_file {raw[:80]!r} leaves the uploads"
                " folder; refused"
            )
        attachment = Attachment(
            wp_id=item.wp_id,
            url=item.attachment_url,
            file=file or "",
            parent=item.parent_id,
            link=item.link,
            alt=" ".join((item.meta_value("_wp_attachment_image_alt") or "").split()),
            caption=plain_text(item.excerpt),
        )
        self.by_id[item.wp_id] = attachment
        if page := _page_path(item.link):
            self.pages.add(page)
        if file:
            self.by_file.setdefault(file, item.wp_id)
        if item.parent_id:
            self.by_parent.setdefault(item.parent_id, []).append(item.wp_id)
        if file and self.media_dir is not None:
            self.store(attachment, item, label)

    def store(self, attachment: Attachment, item: WxrItem, label: str) -> None:
        """Bring the file into the library (once: a re-run finds the image)."""
        imported = (
            ImportedItem.objects.filter(source=self.source, wp_id=item.wp_id)
            .select_related("image")
            .first()
        )
        if imported is not None and imported.image is not None:
            self._found(attachment, imported.image)
            self.report.count("images kept from an earlier import")
            return
        path = self.media_dir / attachment.file
        try:
            inside = path.resolve().is_relative_to(self.media_dir)
        except (OSError, RuntimeError):
            inside = False
        if not inside:  # a symbolic link out of the folder
            self.report.warn(f"{label}: {attachment.file} leaves --media-dir; refused")
            return
        if not path.is_file():
            return  # reported where a post uses it
        alt = attachment.alt or plain_text(item.title) or PurePosixPath(path).stem
        credit = _credit(item)
        try:
            with path.open("rb") as file:
                image = store_upload(file, alt=alt[:500], credit=credit[:300])
        except MediaRefused as refused:
            self.report.warn(
                f"{label} ({attachment.file}): not taken into the media library:"
                f" {refused.message} Its URL is kept."
            )
            return
        self.stored_files += image.files()
        self._found(attachment, image)
        if imported is None:
            imported = ImportedItem(source=self.source, wp_id=item.wp_id)
        imported.wp_type, imported.permalink = "attachment", item.link[:500]
        imported.image, imported.article, imported.page = image, None, None
        imported.save()
        self.report.count("images imported")

    def _found(self, attachment: Attachment, image: Image) -> None:
        attachment.image_id, attachment.image_url = image.pk, image.url

    # What posts ask (convert.MediaFinder).

    def upload_path(self, url: str) -> str | None:
        """The path under uploads that a URL of this site names, else None."""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return None
        if parts.scheme not in ("", "http", "https"):
            return None
        if parts.netloc and _host(parts.netloc) != self.host:
            return None
        path = unquote(parts.path)
        at = path.find(UPLOADS)
        return path[at + len(UPLOADS) :] if at != -1 else None

    def find(self, url: str) -> ImageRef | None:
        """The attachment an uploads URL shows (a resized copy's original too)."""
        path = self.upload_path(url)
        if path is None:
            return None
        wp_id = self.by_file.get(path) or self.by_file.get(_original_of(path))
        attachment = self.by_id.get(wp_id) if wp_id else None
        if attachment is None:
            return ImageRef(None, url, "", "", upload=True)
        return _ref(attachment)

    def attachment(self, wp_id: int) -> ImageRef | None:
        """The attachment with this id, else None."""
        found = self.by_id.get(wp_id)
        return _ref(found) if found else None

    def attached_to(self, post_id: int) -> list[ImageRef]:
        """The attachments uploaded to a post, in upload order ([gallery] alone)."""
        return [_ref(self.by_id[i]) for i in self.by_parent.get(post_id, [])]

    def is_attachment_page(self, url: str) -> bool:
        """Whether a link goes to an attachment's own page (?attachment_id=N, or
        the page's own path, /post/press/)."""
        return "attachment_id=" in url or _page_path(url) in self.pages


def _ref(attachment: Attachment) -> ImageRef:
    return ImageRef(
        attachment.image_id,
        attachment.url,
        attachment.alt,
        attachment.caption,
        upload=True,
    )


def _page_path(url: str) -> str:
    try:
        return urlsplit(url.strip()).path.rstrip("/")
    except ValueError:
        return ""


def _host(address: str) -> str:
    netloc = urlsplit(address if "//" in address else "//" + address).netloc
    host = netloc.rpartition("@")[2].partition(":")[0].lower()
    return host.removeprefix("www.")


def _checked_relative(raw: str) -> str | None:
    """A path under uploads as written in the export, or None when it would leave
    the folder (absolute, "..", a drive, a NUL): such a file is never opened."""
    text = raw.strip().replace("\\", "/")
    if not text or "\x00" in text or text.startswith("/") or ":" in text[:3]:
        return None
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _original_of(path: str) -> str:
    """The original a resized copy was made from: press-1024x683.jpg is press.jpg,
    press-scaled.jpg (WordPress's big-image copy) too."""
    directory, _, name = path.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return path
    head, _, tail = stem.rpartition("-")
    width, x, height = tail.partition("x")
    if head and (tail == "scaled" or (x and width.isdigit() and height.isdigit())):
        stem = head
    return (directory + "/" if directory else "") + f"{stem}.{extension}"


def _credit(item: WxrItem) -> str:
    for key in CREDIT_KEYS:
        value = item.meta_value(key)
        if value and value.strip():
            return " ".join(value.split())
    metadata = item.meta_value("_wp_attachment_metadata") or ""
    return " ".join(_serialized_string(metadata, "credit").split())


def _serialized_string(data: str, key: str) -> str:
    """The string value of `key` in PHP-serialised attachment metadata, or "".

    `s:6:"credit";s:11:"Ada Letters";` gives "Ada Letters"; the length counts
    UTF-8 bytes. Read by plain scanning: no PHP unserialiser runs on the export.
    """
    marker = f's:{len(key.encode())}:"{key}";s:'
    at = data.find(marker)
    if at == -1:
        return ""
    start = at + len(marker)
    colon = data.find(':"', start, start + 12)
    length = data[start:colon]
    if colon == -1 or not length.isdigit():
        return ""
    value = data[colon + 2 :].encode()[: int(length)]
    return value.decode("utf-8", "replace")
