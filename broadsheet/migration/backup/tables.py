"""Which tables a backup holds, and the consistent read it takes them in."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.apps import apps
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

# Derived from the archived rows and rebuilt by restore (search index) or on first
# read (article fragments), so an archive never carries a stale copy.
DERIVED = frozenset({"discovery.searchdocument", "web.articlefragments"})
# This installation's passing state, never archived. Sessions and login lockouts
# name accounts by id and username: after a replace they would belong to other
# people, so restore --replace clears them.
CLEARED_ON_REPLACE = frozenset(
    {
        "sessions.session",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accessfailurelog",
        "axes.accesslog",
    }
)
# Kept as they are by a restore: job leases of running servers, the names of view
# batches this machine flushed (so none is counted twice), and the static export's
# journal (restore adds a whole-site change to it).
KEPT = frozenset(
    {"publishing.lease", "readership.flushedbatch", "pagecache.surfacechange"}
)
# What `migrate` writes into every fresh database: a database holding only these is
# empty for restore, which replaces them with the archive's own.
MADE_BY_MIGRATE = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "content.sitesettings",
    }
)


def archived_models() -> list[type[models.Model]]:
    """Every concrete model a backup holds, in dependency order (a model after
    those its foreign keys point to). Many-to-many rows travel with their model."""
    wanted = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in DERIVED | CLEARED_ON_REPLACE | KEPT
    ]
    return _dependency_order(wanted)


def models_cleared_by_replace() -> list[type[models.Model]]:
    """Every table restore --replace empties before loading: archived, derived and
    cleared ones, with their many-to-many tables."""
    labels = DERIVED | CLEARED_ON_REPLACE
    chosen = archived_models() + [
        model for model in apps.get_models() if model._meta.label_lower in labels
    ]
    with_m2m = []
    for model in chosen:
        with_m2m.append(model)
        with_m2m.extend(
            field.remote_field.through
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )
    return with_m2m


def _dependency_order(wanted: list[type[models.Model]]) -> list[type[models.Model]]:
    remaining = {model._meta.label_lower: model for model in wanted}
    ordered: list[type[models.Model]] = []
    while remaining:
        ready = [
            label
            for label, model in remaining.items()
            if not any(
                target != label and target in remaining for target in _targets(model)
            )
        ] or [next(iter(remaining))]  # a cycle: deferred constraints allow any order
        for label in ready:
            ordered.append(remaining.pop(label))
    return ordered


def _targets(model: type[models.Model]) -> set[str]:
    return {
        field.related_model._meta.label_lower
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and field.related_model is not None
        and not field.many_to_many
    }


def applied_migrations() -> dict[str, list[str]]:
    """The migrations applied to the database, by app."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def code_migrations() -> dict[str, list[str]]:
    """Every migration this code has, by app (what `migrate` brings a database to)."""
    known: dict[str, list[str]] = {}
    for app, name in sorted(
        MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    ):
        known.setdefault(app, []).append(name)
    return known


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Read the database as of one moment while others go on writing to it.

    Inside a caller's transaction that transaction is the snapshot already.
    """
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE (the settings' transaction_mode)
        # and hold the write lock for the whole backup. A deferred transaction
        # fixes its WAL snapshot at its first read and lets writers go on
        # (https://sqlite.org/isolation.html).
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        # PostgreSQL: every statement of a REPEATABLE READ transaction sees the
        # snapshot taken at its first one; READ ONLY makes sure it writes nothing.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            yield
