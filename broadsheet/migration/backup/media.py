"""Media files of a restore: staged beside MEDIA_ROOT, put in place at the end,
taken back if the restore fails."""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path


class MediaPlacement:
    """Files copied out of an archive into a staging folder under MEDIA_ROOT (one
    file system, so placing each is a rename), then moved to their paths.

    Leaving the block with an exception puts back every file it replaced and
    removes every file it added; leaving it normally keeps them. The staging
    folder goes either way.
    """

    def __init__(self, media_root: Path) -> None:
        self.root = media_root
        self.staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root))
        self.incoming = self.staging / "incoming"
        self.replaced = self.staging / "replaced"
        self.names: list[str] = []
        self.placed: list[str] = []
        self.set_aside: list[str] = []

    def __enter__(self) -> MediaPlacement:
        return self

    def staged(self, name: str) -> Path:
        """Where the archive's file `name` (relative to MEDIA_ROOT) is copied to."""
        self.names.append(name)
        return self.incoming / name

    def place_all(self) -> int:
        """Move every staged file to its path under MEDIA_ROOT; return how many."""
        for name in self.names:
            target = self.root / name
            source = self.incoming / name
            if target.is_file() and filecmp.cmp(source, target, shallow=False):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                aside = self.replaced / name
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, aside)
                self.set_aside.append(name)
            os.replace(source, target)
            self.placed.append(name)
        return len(self.names)

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if kind is not None:
                for name in self.placed:
                    (self.root / name).unlink(missing_ok=True)
                for name in self.set_aside:
                    os.replace(self.replaced / name, self.root / name)
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
