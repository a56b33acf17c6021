"""Restore a backup: verify the whole file, then load every row and media file in
one transaction, rebuild what is derived, and tell the caches once."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

from broadsheet import rendering
from broadsheet.content.models import Article, Page
from broadsheet.discovery.search import index
from broadsheet.migration.backup import archive, tables
from broadsheet.migration.backup.archive import BackupError
from broadsheet.migration.backup.dump import BackupReport
from broadsheet.migration.backup.media import MediaPlacement
from broadsheet.publishing import announcements
from broadsheet.readership.counting import flush_views

BATCH = 500
Start = Callable[[str, int], None]
Move = Callable[[int], None]


@dataclass
class RestoreReport:
    """What a restore loaded."""

    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    articles_indexed: int = 0
    stale_renderings: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """The figures for the command's summary line."""
        counts = BackupReport(rows=self.rows, media_files=self.media_files).counts()
        counts["articles indexed"] = self.articles_indexed
        return counts


def restore_site(
    path: Path,
    *,
    replace: bool = False,
    start: Start | None = None,
    move: Move | None = None,
) -> RestoreReport:
    """Restore the backup at `path` into this site's database and MEDIA_ROOT.

    The database must hold no site yet (only what `migrate` makes), unless
    `replace`, which deletes the site there first. Nothing changes when the file
    is damaged, was made by a newer Broadsheet or at other migrations, or any row
    fails to load: BackupError says why. `start(label, length)` begins a progress
    phase and `move(done)` advances it.
    """
    start = start or (lambda label, length: None)
    move = move or (lambda done: None)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="broadsheet-restore-") as scratch,
        MediaPlacement(media_root) as media,
    ):
        data_dir = Path(scratch)

        def place(kind: str, name: str) -> Path:
            return data_dir / name if kind == archive.DATA_DIR else media.staged(name)

        start("Checking", path.stat().st_size)
        manifest = archive.read_archive(path, place=place, progress=move)
        _check_migrations(path, manifest)
        _migrate_if_needed()
        report = RestoreReport(manifest=manifest)
        if replace:
            flush_views()  # views spooled for the old site count there, not here
        else:
            _refuse_a_site_already_there()
        entries = _table_entries(path, manifest)
        start("Restoring", sum(entry["rows"] for _model, entry in entries))
        with transaction.atomic(), announcements.as_one_change():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # checked once, at the end
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # Even an empty database holds what migrate made (content types,
            # permissions, role groups): the archive's own rows replace them.
            _clear_site()
            done = 0
            for model, entry in entries:
                rows = _load_table(
                    path, model, data_dir / _data_name(entry), move, done
                )
                report.rows[model._meta.label_lower] = rows
                done += rows
            _reset_sequences([model for model, _entry in entries])
            _check_constraints(path, [model for model, _entry in entries])
            # The stored renderings are restored as they were, so pages come out
            # byte for byte; ones from another pipeline are counted, for rerender.
            report.stale_renderings = sum(
                model.objects.exclude(
                    pipeline_version=rendering.PIPELINE_VERSION
                ).count()
                for model in (Article, Page)
            )
            report.articles_indexed = index.rebuild_index()["articles_indexed"]
            report.media_files = media.place_all()
    return report


def _check_migrations(path: Path, manifest: dict[str, Any]) -> None:
    made = {
        (app, name) for app, names in manifest["migrations"].items() for name in names
    }
    known = {
        (app, name) for app, names in tables.code_migrations().items() for name in names
    }
    version = manifest.get("broadsheet_version", "?")
    if ahead := sorted(made - known):
        raise BackupError(
            f"{path.name} was made by Broadsheet {version}, whose database has"
            f" migrations this code lacks ({_names(ahead)}): upgrade Broadsheet,"
            " then restore"
        )
    if behind := sorted(known - made):
        raise BackupError(
            f"{path.name} was made by Broadsheet {version}, before migrations this"
            f" code has ({_names(behind)}): restore it with Broadsheet {version},"
            " then upgrade"
        )


def _names(pairs: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{app} {name}" for app, name in pairs[:3])
    return shown + (f" and {len(pairs) - 3} more" if len(pairs) > 3 else "")


def _migrate_if_needed() -> None:
    # A fresh install's database may not be migrated yet; restore brings it to
    # this code's schema first (on SQLite, schema changes cannot share the
    # restore's transaction). An already migrated database is left alone.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def _refuse_a_site_already_there() -> None:
    found = {
        model._meta.verbose_name_plural: count
        for model in tables.archived_models()
        if model._meta.label_lower not in tables.MADE_BY_MIGRATE
        and (count := model._base_manager.count())
    }
    if found:
        held = ", ".join(f"{count} {name}" for name, count in list(found.items())[:4])
        raise BackupError(
            f"the database already holds a site ({held}): restore into an empty"
            " database, or pass --replace to delete that site and restore over it"
        )


def _table_entries(
    path: Path, manifest: dict[str, Any]
) -> list[tuple[type[models.Model], dict[str, Any]]]:
    entries = []
    expected = {model._meta.label_lower for model in tables.archived_models()}
    for entry in manifest["tables"]:
        label = entry.get("model") if isinstance(entry, dict) else None
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError, TypeError):
            raise BackupError(
                f"{path.name}: table {label!r} is not a table of this Broadsheet"
            ) from None
        if label not in expected or not isinstance(entry.get("rows"), int):
            raise BackupError(f"{path.name}: table {label!r} cannot be restored")
        entries.append((model, entry))
    return entries


def _data_name(entry: dict[str, Any]) -> str:
    return str(entry["member"]).removeprefix(archive.DATA_DIR + "/")


def _clear_site() -> None:
    # DELETE, not TRUNCATE: PostgreSQL refuses to truncate a table with foreign
    # key checks pending in the transaction, and the checks, deferred to commit,
    # accept the tables emptied in any order.
    cleared = tables.models_cleared_by_replace()
    counters = [
        {"table": model._meta.db_table, "column": model._meta.pk.column}
        for model in cleared
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
    ]
    with connection.cursor() as cursor:
        for model in reversed(cleared):  # rows that refer to others go first
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}"
            )
        for statement in connection.ops.sequence_reset_by_name_sql(
            no_style(), counters
        ):
            cursor.execute(statement)


def _load_table(
    path: Path, model: type[models.Model], data: Path, move: Move, done: int
) -> int:
    """Insert the rows of one table (and its many-to-many links); return how many.

    Plain INSERTs of the stored values: saving through the models would stamp
    auto_now fields with the present and send the signals of an edit per row.
    """
    meta = model._meta
    columns = meta.local_concrete_fields
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    links = [
        f for f in meta.local_many_to_many if f.remote_field.through._meta.auto_created
    ]
    rows: list[list[Any]] = []
    linked: list[models.Model] = []
    count = 0
    member = f"{archive.DATA_DIR}/{data.name}"
    where = _Where(path, member)
    try:
        for obj in _objects(data, where):
            if type(obj.object) is not model:
                raise BackupError(f"{where}: a {obj.object._meta.label} row")
            rows.append(
                [
                    f.get_db_prep_save(getattr(obj.object, f.attname), connection)
                    for f in columns
                ]
            )
            for f in links:
                linked.extend(
                    _link_rows(f, obj.object.pk, obj.m2m_data.get(f.name, ()))
                )
            count += 1
            if len(rows) >= BATCH:
                _insert(sql, rows)
                move(done + count)
        _insert(sql, rows)
        for f in links:
            through = f.remote_field.through
            through._base_manager.bulk_create(
                [row for row in linked if type(row) is through], batch_size=BATCH
            )
    except DatabaseError as error:
        raise BackupError(f"{where}: {error}".strip()) from error
    move(done + count)
    return count


class _Where:
    """The member and line being loaded, for error messages."""

    def __init__(self, path: Path, member: str) -> None:
        self.path, self.member, self.line = path, member, 0

    def __str__(self) -> str:
        line = f", line {self.line}" if self.line else ""
        return f"{self.path.name}, {self.member}{line}"


def _objects(
    data: Path, where: _Where
) -> Iterator[serializers.base.DeserializedObject]:
    def records() -> Iterator[dict[str, Any]]:
        for number, line in archive.iter_lines(data):
            where.line = number
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise BackupError(f"{where}: not JSON ({error})") from error
            if not isinstance(record, dict):
                raise BackupError(f"{where}: not a row")
            yield record

    try:
        yield from serializers.deserialize("python", records())
    except (
        serializers.base.DeserializationError,
        FieldDoesNotExist,
        ValidationError,
        LookupError,
        TypeError,
        ValueError,
    ) as error:
        # A row the models cannot take: a field this code lacks, a value of the
        # wrong type, a record without "model" or "fields".
        raise BackupError(f"{where}: {error}") from error


def _link_rows(field: models.ManyToManyField, pk: Any, targets) -> list[models.Model]:
    through = field.remote_field.through
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    return [through(**{source: pk, target: other}) for other in targets]


def _insert(sql: str, rows: list[list[Any]]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        rows.clear()


def _reset_sequences(chosen: list[type[models.Model]]) -> None:
    # Rows came in with their own ids: PostgreSQL's sequences must start after
    # them (SQLite's AUTOINCREMENT follows inserted ids by itself).
    statements = connection.ops.sequence_reset_sql(no_style(), chosen)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _check_constraints(path: Path, chosen: list[type[models.Model]]) -> None:
    try:
        connection.check_constraints(
            table_names=[model._meta.db_table for model in chosen]
        )
    except DatabaseError as error:
        raise BackupError(
            f"{path.name}: rows refer to rows it lacks ({error})"
        ) from error
