"""Options and loaders that several `tonecheck` commands share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from tonecheck.model.artifact import ArtifactError, LoadedModel, load_version
from tonecheck.model.lexicon import Lexicon, LexiconError, load_lexicon
from tonecheck.server.config import DEFAULT_ARTIFACTS, DEFAULT_DATA, DEFAULT_DB
from tonecheck.server.storage import Storage, StorageError

artifacts_option = click.option(
    "--artifacts",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_ARTIFACTS,
    show_default=True,
    envvar="TONECHECK_ARTIFACTS",
    help="Directory of model versions and CURRENT.",
)
lexicon_option = click.option(
    "--lexicon",
    "lexicon_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    envvar="TONECHECK_LEXICON",
    help="Team lexicon (YAML or TOML) adding or disabling hedge phrases.",
)


def lexicon_from(path: Path | None) -> Lexicon:
    try:
        return load_lexicon(path)
    except LexiconError as error:
        raise click.ClickException(str(error)) from error


data_option = click.option(
    "--data",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    default=DEFAULT_DATA,
    show_default=True,
    help="Labeled replies (JSONL); repeat to use several files together.",
)


def column_options(command: Any) -> Any:
    """The options that name an export's columns, its delimiter and its date format."""
    for name, what in reversed(
        (
            ("text", "the reply text"),
            ("agent", "the agent who wrote the reply"),
            ("team", "the agent's team or group"),
            ("date", "when the reply was sent"),
            ("ticket", "the ticket or conversation"),
        )
    ):
        command = click.option(
            f"--{name}-column", help=f"Column holding {what} (default: guessed from its name)."
        )(command)
    command = click.option(
        "--delimiter",
        type=click.Choice([",", ";", "\t", "|", "tab"]),
        callback=lambda _ctx, _param, value: "\t" if value == "tab" else value,
        help="CSV delimiter (default: sniffed from the file).",
    )(command)
    return click.option(
        "--date-format",
        help="strptime format of the dates, e.g. '%d/%m/%Y %H:%M' (default: ISO 8601, or day- "
        "or month-first as the file's own dates show).",
    )(command)


version_option = click.option("--version", "version", help="Model version (default: CURRENT).")

db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="TONECHECK_DB",
    help="SQLite file or any SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db).",
)


def model_from(artifacts: Path, version: str | None) -> LoadedModel:
    """`version` of the model in `artifacts` (CURRENT by default), or a clear CLI error."""
    try:
        return load_version(artifacts, version)
    except ArtifactError as error:
        raise click.ClickException(str(error)) from error


def open_storage(db: str, create: bool = False) -> Storage:
    """Open the database, saying which one on stderr. A SQLite file that does not exist is
    created only with `create`: a command run from another folder would otherwise make a
    new, empty database there and its tokens would not be the server's."""
    is_file = "://" not in db
    if is_file and not create and not Path(db).exists():
        raise click.ClickException(
            f"no database at {Path(db).resolve()}; name the server's with --db (or "
            "TONECHECK_DB), or pass --create to start a new one here"
        )
    try:
        storage = Storage.open(db)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    where = Path(db).resolve() if is_file else storage.engine.url.render_as_string()
    click.echo(f"database: {where}", err=True)
    return storage


def write_private(path: Path, text: str, exclusive: bool = False) -> None:
    """Write `text` to a file only its owner may read or write (mode 0600); `exclusive`
    refuses a file that already exists."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    handle = os.open(path, flags, 0o600)
    os.fchmod(handle, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
