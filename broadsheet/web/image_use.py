"""Which library images articles show: read by the credits page, watched for the cache.

The image credits page is cached with the IMAGES surface. An article save that
changes the images its stored HTML or featured image shows retires it, once the
change is committed; so does an edit of an image's alt text or credit
(editorial.media_views).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_save

from broadsheet.content.models import Article
from broadsheet.publishing import signals
from broadsheet.publishing.surfaces import IMAGES

# Library files sit in a directory per upload (media.services.store_upload).
_UPLOAD_DIRECTORY = re.compile(r"images/[0-9a-f]{32}/")


def upload_directories(html: str) -> set[str]:
    """The library upload directories ("images/<hex>/") that stored HTML shows."""
    prefix = settings.MEDIA_URL
    return {
        match
        for match in _UPLOAD_DIRECTORY.findall(html)
        if prefix + match in html  # under MEDIA_URL, not text that looks alike
    }


def shown_by(article: Article) -> tuple[int | None, frozenset[str]]:
    """What of the library an article shows: its featured image and body images."""
    return article.featured_image_id, frozenset(
        upload_directories(article.body_html + article.notes_html)
    )


def _on_article_saving(sender, instance: Article, update_fields=None, **kwargs):
    if instance.pk is None:
        return  # a new article is not live yet, or publishing announces its lists
    columns = ("featured_image_id", "body_html", "notes_html")
    if update_fields is not None and not {
        "featured_image",
        "body_html",
        "notes_html",
    } & set(update_fields):
        return
    stored = Article.objects.filter(pk=instance.pk).values(*columns).first()
    if stored is None:
        return
    before = (
        stored["featured_image_id"],
        frozenset(upload_directories(stored["body_html"] + stored["notes_html"])),
    )
    if before != shown_by(instance):
        transaction.on_commit(
            lambda: signals.surfaces_changed.send(sender=Article, surfaces={IMAGES})
        )


def connect() -> None:
    """Connect the receiver; called once from WebConfig.ready()."""
    pre_save.connect(_on_article_saving, sender=Article)
