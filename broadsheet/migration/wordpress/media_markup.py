"""Uploaded files in a post: images and galleries shown from the media library.

The converter (convert.py) mixes this in. It asks the import's attachments
(media.MediaLibrary, through the MediaFinder protocol, so this module needs no
database) which library image an uploaded file became; a file not in the library
keeps its old URL when the scheme is safe and is noted as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from broadsheet.migration.wordpress.text import (
    _destination,
    _label,
    _title_text,
    escape_markdown,
    is_safe_url,
    plain_text,
)


@dataclass(frozen=True)
class ImageRef:
    """An uploaded file a post shows: the library image it became, if any."""

    image_id: int | None
    url: str
    alt: str = ""
    caption: str = ""
    upload: bool = True


class MediaFinder(Protocol):
    """What the conversion asks of the import's attachments (media.MediaLibrary)."""

    def find(self, url: str) -> ImageRef | None: ...  # None: not an upload
    def attachment(self, wp_id: int) -> ImageRef | None: ...
    def attached_to(self, post_id: int) -> list[ImageRef]: ...
    def is_attachment_page(self, url: str) -> bool: ...


class MediaMarkup:
    """The converter's media methods; needs self.media, post_id, missing,
    images and warnings (set by the converter)."""

    media: MediaFinder | None
    post_id: int
    missing: list[str]
    images: int
    warnings: list[str]

    def _upload(self, src: str, el=None) -> ImageRef | None:
        """The library's image for an uploaded file's URL; a missing one is noted."""
        if self.media is None:
            return None
        ref = self.media.find(src)
        if ref is None and el is not None:
            ref = self._by_attachment_id(el)
        if ref is None:
            return None
        if ref.image_id is None:
            self.missing.append(src)
        return ref

    def _by_attachment_id(self, el) -> ImageRef | None:
        wp_id = str(el.get("data-id") or "")
        if not wp_id:
            for name in el.get("class") or []:
                if name.startswith("wp-image-"):
                    wp_id = name.removeprefix("wp-image-")
        return self.media.attachment(int(wp_id)) if wp_id.isdigit() else None

    def _links_to_itself(self, el, href: str) -> bool:
        image = el.find("img")
        if self.media is None or image is None or el.get_text().strip():
            return False
        shown = self._peek(image)
        if shown is None or shown.image_id is None:
            return False
        return self.media.is_attachment_page(href) or self.media.find(href) is not None

    def _peek(self, image) -> ImageRef | None:
        ref = self.media.find(image.get("src") or "")
        return ref if ref is not None else self._by_attachment_id(image)

    def _shortcode_gallery(self, ids: str) -> str:
        if self.media is None:
            self.warnings.append("a [gallery] was dropped: the export has no media")
            return ""
        if ids:
            wanted = [int(i) for i in ids.split(",") if i.isdigit()]
            refs = []
            for wp_id in wanted:
                ref = self.media.attachment(wp_id)
                if ref is None:
                    self.warnings.append(
                        f"a [gallery] names attachment {wp_id}, not in the export"
                    )
                else:
                    refs.append(ref)
        else:
            refs = self.media.attached_to(self.post_id)
        entries = [(ref, ref.url, ref.alt, ref.caption) for ref in refs]
        return self._gallery_run(entries, "")

    def _block_gallery(self, el) -> str:
        entries = []
        for image in el.find_all("img"):
            src = str(image.get("src") or "")
            ref = self._peek(image) if self.media else None
            holder = image.find_parent("figure")
            caption = holder.find("figcaption") if holder is not el else None
            words = plain_text(str(caption)) if caption else ""
            alt = str(image.get("alt") or "")
            entries.append((ref, src, alt, words or (ref.caption if ref else "")))
        captions = el.find_all("figcaption", recursive=False)
        after = " ".join(plain_text(str(c)) for c in captions)
        return self._gallery_run(entries, after)

    def _gallery_run(self, entries, caption: str) -> str:
        """A gallery as a run of images, each with its caption: the library's
        images, or links to the old files when they are not in the library."""
        out = []
        for ref, src, alt, words in entries:
            if ref is not None and ref.image_id is not None:
                self.images += 1
                title = _title_text(words)
                out.append(f"![{_label(alt or ref.alt)}](media:{ref.image_id}{title})")
                continue
            if ref is not None:
                self.missing.append(src)
            if not src or not is_safe_url(src):
                if src:
                    self.warnings.append(f"a gallery image {src[:60]!r} was dropped")
                continue
            shown = words or alt or src.rstrip("/").rpartition("/")[2]
            out.append(f"[{escape_markdown(shown)}]({_destination(src)})")
        if caption:
            out.append(escape_markdown(caption))
        return "\n\n" + "\n\n".join(out) + "\n\n" if out else ""
