"""Backup and restore: the whole site in one versioned file (see archive.py)."""

from broadsheet.migration.backup.archive import BackupError
from broadsheet.migration.backup.dump import BackupReport, backup_site
from broadsheet.migration.backup.load import RestoreReport, restore_site

__all__ = [
    "BackupError",
    "BackupReport",
    "RestoreReport",
    "backup_site",
    "restore_site",
]
