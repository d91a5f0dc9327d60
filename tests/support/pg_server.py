"""A throwaway PostgreSQL server (Debian's package) on a Unix socket, for the storage tests."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: `make test` installs Debian's postgresql")
    return Path(found[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; as root, run it as the package's postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresServer:
    def __init__(self, sockets: Path) -> None:
        self.sockets = sockets
        self._made = 0

    def new_database(self) -> str:
        """An empty database on the server, as a SQLAlchemy URL."""
        self._made += 1
        name = f"tonecheck_{self._made}"
        with psycopg.connect(
            host=str(self.sockets), user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://postgres@/{name}?host={self.sockets}"


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a cluster in a new directory under /tmp (where the postgres user can reach it)."""
    scratch = Path(tempfile.mkdtemp(prefix="tonecheck-pg-"))
    bindir = _bindir()
    data, sockets = scratch / "data", scratch / "sockets"
    sockets.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(scratch, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(
        _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -k {sockets} -c fsync=off"
    subprocess.run(
        _as_owner(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(scratch / "log"),
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield PostgresServer(sockets)
    finally:
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(scratch, ignore_errors=True)
