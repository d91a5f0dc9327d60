"""`tonecheck db backup FILE`: a consistent copy of the database while the server runs."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from tonecheck.cli.options import db_option, open_storage


@click.group("db")
def database() -> None:
    """Look after the database."""


@database.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@db_option
def backup(file: Path, db: str) -> None:
    """Copy the SQLite database to FILE with SQLite's online backup API: safe while the
    server writes (for PostgreSQL use pg_dump)."""
    storage = open_storage(db)
    if storage.engine.dialect.name != "sqlite":
        raise click.ClickException(
            f"{storage.engine.url.render_as_string()} is not SQLite: back it up with its own "
            "tools, e.g. `pg_dump --format=custom --file=tonecheck.dump DATABASE`"
        )
    source = storage.engine.url.database or db
    if file.exists():
        raise click.BadParameter(f"{file} exists; back up to a new file", param_hint="FILE")
    if not file.parent.is_dir():
        raise click.BadParameter(f"folder {file.parent} does not exist", param_hint="FILE")
    partial = file.with_name(f".{file.name}.partial")
    with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
        live.backup(copy)
    os.replace(partial, file)
    with sqlite3.connect(file) as check:
        checks = check.execute("select count(*) from checks").fetchone()[0]
    click.echo(f"backed up {source} to {file} ({checks:,} checks)")
