"""The backup file: a tar of data, media and a manifest, written atomically and
read back only after every member's checksum is verified.

    data/<app>.<model>.jsonl   one row a line (Django's "jsonl" serialization)
    media/<path>               files under MEDIA_ROOT the rows name
    manifest.json              format, versions, migrations, counts, checksums

The manifest comes last because it holds the checksums of what precedes it; a
reader has to pass through the whole file to verify it anyway. The name says
whether the tar is compressed: `.tar.gz`/`.tgz` with gzip, `.tar` without.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "broadsheet-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore refused, with the message for the person running it."""


def _mode(path: Path, writing: bool) -> str:
    compressed = path.name.endswith((".tar.gz", ".tgz"))
    if writing:
        if not compressed and not path.name.endswith(".tar"):
            raise BackupError(
                f"{path.name}: name the backup FILE.tar.gz (compressed) or FILE.tar"
            )
        return "w:gz" if compressed else "w"
    return "r:*"


class ArchiveWriter:
    """Members added one by one to a temporary file that becomes `path` only when
    `commit()` has made it complete, so a crash never leaves a half backup there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        mode = _mode(path, writing=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".partial", dir=path.parent
        )
        self.temp = Path(name)
        self.file = os.fdopen(handle, "wb")
        # Open across calls (closed by commit() or abandon()), hence no `with`.
        self.tar = tarfile.open(fileobj=self.file, mode=mode)  # noqa: SIM115
        self.members: dict[str, dict[str, Any]] = {}

    def add_file(self, name: str, source: Path) -> dict[str, Any]:
        """Add the file at `source` as member `name`; return its size and checksum."""
        with source.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            return self._add(name, _Hashing(stream), size)

    def add_bytes(self, name: str, data: bytes) -> dict[str, Any]:
        return self._add(name, _Hashing(io.BytesIO(data)), len(data))

    def _add(self, name: str, stream: _Hashing, size: int) -> dict[str, Any]:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o600
        self.tar.addfile(info, stream)
        facts = {"bytes": size, "sha256": stream.digest.hexdigest()}
        self.members[name] = facts
        return facts

    def commit(self, manifest: dict[str, Any]) -> None:
        """Write the manifest last, flush to disk and move the file into place."""
        manifest = {**manifest, "members": self.members}
        self.add_bytes(MANIFEST, json.dumps(manifest, indent=1).encode())
        self.tar.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.temp, self.path)
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self.tar.close()
        with contextlib.suppress(Exception):
            self.file.close()
        self.temp.unlink(missing_ok=True)


class _Hashing:
    """A read-only stream that hashes what passes through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def read_archive(
    path: Path,
    *,
    place: Callable[[str, str], Path],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Copy every member out of the backup at `path` and verify it; return the
    manifest.

    `place(kind, name)` says where a member of kind "data" or "media" goes (its
    name relative to that folder). Raises BackupError naming what is wrong when the
    file is not a backup, is damaged or truncated, or a checksum fails.
    """
    found: dict[str, dict[str, Any]] = {}
    manifest_bytes = None
    try:
        with path.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:*") as tar:
            for info in tar:
                name = info.name
                if name == MANIFEST:
                    manifest_bytes = _read_member(tar, info)
                    continue
                kind, relative = _member_place(path, info)
                target = place(kind, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(info) as source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                found[name] = {"bytes": info.size, "sha256": digest.hexdigest()}
                if progress:
                    progress(raw.tell())
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{path.name} is damaged or truncated ({error or type(error).__name__})"
        ) from error
    if manifest_bytes is None:
        raise BackupError(
            f"{path.name} has no {MANIFEST}: it is truncated or not a Broadsheet backup"
        )
    manifest = _parse_manifest(path, manifest_bytes)
    expected = manifest["members"]
    for name, facts in expected.items():
        if name == MANIFEST:
            continue
        if name not in found:
            raise BackupError(f"{path.name} lacks {name}, which its manifest lists")
        if found[name] != facts:
            raise BackupError(
                f"{path.name}: {name} does not match its checksum (damaged file)"
            )
    extra = sorted(set(found) - set(expected))
    if extra:
        raise BackupError(f"{path.name} holds {extra[0]}, which its manifest omits")
    return manifest


def _read_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    if not info.isfile() or info.size > 64 << 20:
        raise BackupError(f"{MANIFEST} is not a plain file of reasonable size")
    with tar.extractfile(info) as stream:
        return stream.read()


def _member_place(path: Path, info: tarfile.TarInfo) -> tuple[str, str]:
    # Nothing outside the data and media folders, no links or devices, no way out
    # of them: an archive is written to disk only where restore decides.
    parts = PurePosixPath(info.name).parts
    if (
        not info.isfile()
        or len(parts) < 2
        or parts[0] not in (DATA_DIR, MEDIA_DIR)
        or any(part in ("", ".", "..") or "\\" in part for part in parts)
        or info.name.startswith("/")
    ):
        raise BackupError(f"{path.name}: unexpected member {info.name!r}")
    return parts[0], "/".join(parts[1:])


def _parse_manifest(path: Path, data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path.name}: {MANIFEST} is not JSON ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} is not a Broadsheet backup")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{path.name} is a backup of format {version}, made by Broadsheet"
            f" {manifest.get('broadsheet_version')}; this Broadsheet reads format"
            f" {FORMAT_VERSION} and older: upgrade Broadsheet to restore it"
        )
    for key, kind in (("members", dict), ("tables", list), ("migrations", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{path.name}: {MANIFEST} has no valid {key!r}")
    return manifest


def iter_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, line) of a data member copied out of an archive."""
    with path.open("rb") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line
