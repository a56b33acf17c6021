"""Take a backup: every archived table and the media files its rows name, read
in one snapshot while the site goes on being written to."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

import broadsheet
from broadsheet.content.models import Author
from broadsheet.media.models import Image
from broadsheet.migration.backup import archive, tables

# Rows read from the database at a time: memory stays flat however large a table.
CHUNK_ROWS = 1000


@dataclass
class BackupReport:
    """What a backup holds: rows per table, media files, files that were missing."""

    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_bytes: int = 0
    missing_media: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The figures for the command's summary line."""
        wanted = {
            "articles": "content.article",
            "pages": "content.page",
            "authors": "content.author",
            "works": "sources.work",
            "redirects": "publishing.redirect",
            "accounts": "auth.user",
        }
        counts = {name: self.rows.get(label, 0) for name, label in wanted.items()}
        counts["daily view counts"] = self.rows.get("readership.dailyviews", 0)
        counts["media files"] = self.media_files
        return counts


def backup_site(
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    sizing: Callable[[int], None] | None = None,
) -> BackupReport:
    """Write a backup of the whole site to `path`, atomically.

    `sizing` is told the number of rows and files to write once it is known, and
    `progress` the count done after each step. Views still buffered are not in the
    database yet: the caller flushes them first (readership.flush_views()).
    """
    report = BackupReport()
    writer = archive.ArchiveWriter(path)
    try:
        with tempfile.TemporaryDirectory(prefix="broadsheet-backup-") as scratch:
            with tables.snapshot():
                manifest = _write_snapshot(
                    writer, Path(scratch), report, progress, sizing
                )
            writer.commit(manifest)
    except BaseException:
        writer.abandon()
        raise
    return report


def _write_snapshot(writer, scratch, report, progress, sizing) -> dict:
    chosen = tables.archived_models()
    sizes = {model: model._base_manager.count() for model in chosen}
    media = _media_names()
    if sizing:
        sizing(sum(sizes.values()) + len(media))
    done = 0
    table_entries = []
    for model in chosen:
        label = model._meta.label_lower
        member = f"{archive.DATA_DIR}/{label}.jsonl"
        scratch_file = scratch / f"{label}.jsonl"
        rows = _dump_table(model, scratch_file)
        writer.add_file(member, scratch_file)
        scratch_file.unlink()
        report.rows[label] = rows
        table_entries.append({"model": label, "member": member, "rows": rows})
        done += sizes[model]
        if progress:
            progress(done)
    for name in media:
        source = Path(settings.MEDIA_ROOT) / name
        if source.is_file():
            facts = writer.add_file(f"{archive.MEDIA_DIR}/{name}", source)
            report.media_files += 1
            report.media_bytes += facts["bytes"]
        else:
            report.missing_media.append(name)
        done += 1
        if progress:
            progress(done)
    return {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "broadsheet_version": broadsheet.__version__,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": tables.applied_migrations(),
        "tables": table_entries,
        "media_files": report.media_files,
        "missing_media": report.missing_media,
    }


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep all six digits of their microseconds
    (Django's cuts them to milliseconds, as ECMA-262 does: a restored row would
    differ)."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump_table(model: type[models.Model], target: Path) -> int:
    """Write the table's rows to `target` as JSON lines; return how many.

    Django's "python" serialization makes each row a {"model", "pk", "fields"}
    dict (many-to-many links as lists of ids), which its deserializer reads back
    with each field's own to_python(); the lines are that dict as JSON.
    """
    queryset = model._base_manager.order_by("pk")
    m2m = [f.name for f in model._meta.local_many_to_many]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    serializer = serializers.get_serializer("python")()
    encoder = _Encoder(ensure_ascii=False, separators=(",", ":"))
    rows = 0
    with target.open("w", encoding="utf-8") as stream:
        for chunk in _chunks(queryset.iterator(chunk_size=CHUNK_ROWS)):
            for record in serializer.serialize(chunk):
                stream.write(encoder.encode(record))
                stream.write("\n")
            rows += len(chunk)
    return rows


def _chunks(objects: Iterator[models.Model]) -> Iterator[list[models.Model]]:
    chunk: list[models.Model] = []
    for obj in objects:
        chunk.append(obj)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _media_names() -> list[str]:
    """Every file under MEDIA_ROOT that a row of the snapshot names."""
    names: set[str] = set()
    for image in Image.objects.only("file", "renditions").iterator(CHUNK_ROWS):
        names.update(name for name in image.files() if name)
    names.update(
        Author.objects.exclude(photo="").values_list("photo", flat=True).iterator()
    )
    return sorted(names)
