"""Throwaway PostgreSQL clusters for tests: start one on a free port, make databases.

As a library::

    with PostgresCluster.start() as cluster:
        url = cluster.create_database("broadsheet_1")

As a command, for the PostgreSQL half of `make test`::

    python -m tests.pgserver run -- .venv/bin/pytest -m postgres

starts a cluster, runs the command with DATABASE_URL pointing at it, stops the cluster
and exits with the command's status. Without PostgreSQL installed it prints a SKIPPED
line and exits 0, so a machine without the Debian package still passes `make test`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Debian installs the server binaries here (the ones on PATH are wrapper scripts, and
# /usr/local/bin may hold unrelated programs of the same name).
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
BIN_ENV = "BROADSHEET_PG_BIN"
# A cluster lives only as long as one test run: durability buys nothing, speed does.
SERVER_OPTIONS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class PostgresUnavailable(RuntimeError):
    """Raised when a PostgreSQL cluster cannot be created or started."""


class PostgresNotInstalled(PostgresUnavailable):
    """Raised when no PostgreSQL server binaries can be found."""


def find_bindir() -> Path:
    """Return the directory holding initdb, pg_ctl and postgres (newest version first).

    Raises PostgresNotInstalled, naming the places searched, when there is none.
    """
    if os.environ.get(BIN_ENV):
        candidates = [Path(os.environ[BIN_ENV])]
    else:
        candidates = sorted(
            Path("/").glob(DEBIAN_BIN_GLOB.lstrip("/")),
            key=lambda path: _version_key(path.parent.name),
            reverse=True,
        )
    for bindir in candidates:
        if all((bindir / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    searched = os.environ.get(BIN_ENV) or DEBIAN_BIN_GLOB
    raise PostgresNotInstalled(f"no initdb, pg_ctl and postgres in {searched}")


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A running PostgreSQL cluster in a temporary directory, owned by this process."""

    def __init__(self, bindir: Path, root: Path, port: int) -> None:
        self.bindir = bindir
        self.root = root
        self.port = port
        self.data_dir = root / "data"
        self.socket_dir = root / "socket"
        self.log_file = root / "postgres.log"

    @property
    def url(self) -> str:
        """The DATABASE_URL of the `postgres` database (trust authentication)."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        """Return the DATABASE_URL of database `name` in this cluster."""
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    @classmethod
    def start(cls, *, attempts: int = 3) -> PostgresCluster:
        """Create and start a cluster on a free loopback port.

        Raises PostgresNotInstalled when the binaries are missing, PostgresUnavailable
        when the server will not start (the message includes the server log).
        """
        bindir = find_bindir()
        root = Path(tempfile.mkdtemp(prefix="broadsheet-pg-"))
        cluster = cls(bindir, root, free_port())
        try:
            cluster._initdb()
            for attempt in range(1, attempts + 1):
                try:
                    cluster._pg_ctl_start()
                    return cluster
                except PostgresUnavailable:
                    # Another process may have taken the port between probe and bind.
                    if attempt == attempts or "in use" not in cluster.log():
                        raise
                    cluster.port = free_port()
        except BaseException:
            cluster.stop()
            raise
        raise AssertionError("unreachable")

    def create_database(self, name: str) -> str:
        """Create an empty database in this cluster and return its DATABASE_URL."""
        return create_database(self.url, name)

    def stop(self) -> None:
        """Stop the server (fast, without a checkpoint) and delete every file."""
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate",
                          "-w", "-t", "30", check=False)  # fmt: skip
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        """Return the server log so far (empty when there is none)."""
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def __enter__(self) -> PostgresCluster:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _initdb(self) -> None:
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; the cluster belongs to `postgres`.
            try:
                shutil.chown(self.root, "postgres", "postgres")
                shutil.chown(self.socket_dir, "postgres", "postgres")
            except LookupError as error:
                raise PostgresUnavailable(f"running as root, but {error}") from error
        self._run("initdb", "-D", str(self.data_dir), "--username", "postgres",
                  "--auth", "trust", "--encoding", "UTF8", "--locale", "C",
                  "--no-sync", "--no-instructions")  # fmt: skip

    def _pg_ctl_start(self) -> None:
        options = [f"-p {self.port}", f"-k {self.socket_dir}"]
        options += [f"-c {name}={value}" for name, value in SERVER_OPTIONS.items()]
        result = self._run("pg_ctl", "start", "-D", str(self.data_dir),
                           "-l", str(self.log_file), "-w", "-t", "60",
                           "-o", " ".join(options), check=False)  # fmt: skip
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"PostgreSQL did not start (pg_ctl exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}\n{self.log()}"
            )

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise PostgresUnavailable(
                f"{program} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )
        return result


def create_database(server_url: str, name: str) -> str:
    """Create an empty database on the server of `server_url`; return its URL."""
    _execute(server_url, f'CREATE DATABASE "{_checked_name(name)}"')
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def drop_database(server_url: str, name: str) -> None:
    """Drop a database made by create_database, disconnecting its sessions."""
    _execute(
        server_url, f'DROP DATABASE IF EXISTS "{_checked_name(name)}" WITH (FORCE)'
    )


def _checked_name(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"unsafe database name: {name!r}")
    return name


def _execute(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(statement)


def run(command: Sequence[str]) -> int:
    """Run `command` with DATABASE_URL naming a fresh cluster; return its status."""
    try:
        bindir = find_bindir()
    except PostgresNotInstalled as error:
        print(f"SKIPPED: PostgreSQL not installed ({error})", flush=True)
        return 0

    def interrupt(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    # Until the command runs, a termination request stops the half-started cluster.
    signal.signal(signal.SIGTERM, interrupt)
    started = time.monotonic()
    try:
        cluster = PostgresCluster.start()
    except PostgresUnavailable as error:
        print(
            f"ERROR: PostgreSQL is installed but would not start: {error}", flush=True
        )
        return 1
    with cluster:
        print(
            f"PostgreSQL ({bindir.parent.name}) at {cluster.url} "
            f"started in {time.monotonic() - started:.1f}s",
            flush=True,
        )
        process = subprocess.Popen(
            list(command), env={**os.environ, "DATABASE_URL": cluster.url}
        )
        # From now on pass a termination request on; the cluster stops once it ends.
        signal.signal(signal.SIGTERM, lambda signum, frame: process.terminate())
        while True:
            try:
                status = process.wait()
                return 128 - status if status < 0 else status  # as a shell reports it
            except KeyboardInterrupt:
                continue  # Ctrl-C reached the command too (same process group).


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.pgserver", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="action", required=True)
    run_parser = commands.add_parser(
        "run", help="run CMD with DATABASE_URL set to a throwaway cluster"
    )
    run_parser.add_argument("command", nargs=argparse.REMAINDER, metavar="-- CMD ...")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("run needs a command after --")
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
