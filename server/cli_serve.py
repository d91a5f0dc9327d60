"""`tonecheck serve`, `tonecheck token ...` and `tonecheck feedback export`."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import click
import uvicorn

from model.artifact import ArtifactError, current_version
from model.records import DataError
from model.train import train_model
from server.app import create_app
from server.cli_model import DEFAULT_DATA, artifacts_option, lexicon_from, lexicon_option
from server.context import Settings
from server.storage import ROLES, Storage, StorageError

db_option = click.option(
    "--db",
    default="tonecheck.db",
    show_default=True,
    envvar="TONECHECK_DB",
    help="SQLite file or any SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db).",
)


def open_storage(db: str) -> Storage:
    try:
        return Storage.open(db)
    except StorageError as error:
        raise click.ClickException(str(error)) from error


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8765, show_default=True, help="Port to listen on.")
@db_option
@artifacts_option
@lexicon_option
@click.option(
    "--allow-origin",
    "allow_origins",
    multiple=True,
    help="An origin allowed by CORS, e.g. chrome-extension://<id>; repeatable.",
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Requests per second per token, sustained (0 turns it off).",
)
@click.option(
    "--store-text",
    is_flag=True,
    help="Store draft text (e-mail addresses, phone and card numbers redacted first).",
)
@click.option(
    "--train-if-missing/--no-train-if-missing",
    default=True,
    show_default=True,
    help="Train a model from --data when no CURRENT model exists.",
)
@click.option(
    "--data",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_DATA,
    show_default=True,
    help="Labeled data used when a model must be trained first.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Processes that score drafts beside the one serving HTTP; 0 scores in that one. "
    "Default: one per CPU this process may use.",
)
@click.option(
    "--session-secret",
    envvar="TONECHECK_SESSION_SECRET",
    help="Key that signs report sessions; share it between replicas. Default: random per process.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
def serve(
    host: str,
    port: int,
    db: str,
    artifacts: Path,
    lexicon_file: Path | None,
    allow_origins: tuple[str, ...],
    rate_limit: float,
    store_text: bool,
    train_if_missing: bool,
    data: Path,
    session_secret: str | None,
    workers: int | None,
    log_level: str,
) -> None:
    """Run the API on uvicorn. SIGTERM lets in-flight requests finish."""
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for origin in allow_origins:
        if not origin.startswith(
            ("chrome-extension://", "moz-extension://", "http://", "https://")
        ):
            raise click.BadParameter(f"{origin!r} is not an origin", param_hint="--allow-origin")
    lexicon = lexicon_from(lexicon_file)
    if current_version(artifacts) is None:
        if not train_if_missing:
            raise click.ClickException(f"no model in {artifacts}; run `tonecheck train` first")
        click.echo(f"no model in {artifacts}: training one from {data} (a few seconds) ...")
        try:
            result = train_model(data, artifacts, lexicon)
        except (DataError, ArtifactError) as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"trained {result.version} in {result.seconds:.0f} s")
    storage = open_storage(db)
    if storage.token_count() == 0:
        token = storage.create_token("lead", "lead")
        click.echo(f"first start: created lead token 'lead' (shown once, keep it):\n  {token}")
    storage.engine.dispose()
    settings = Settings(
        db=db,
        artifacts=artifacts,
        allow_origins=allow_origins,
        rate_limit=rate_limit,
        store_text=store_text,
        lexicon_file=lexicon_file,
        session_secret=session_secret,
        workers=len(os.sched_getaffinity(0)) if workers is None else workers,
    )
    click.echo(f"tonecheck serving on http://{host}:{port}")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        loop="uvloop",
        http="httptools",
        timeout_graceful_shutdown=20,
        access_log=log_level == "debug",
    )


@click.group()
def token() -> None:
    """Create, list and revoke API tokens (stored hashed)."""


@token.command("create")
@click.option("--name", required=True, help="Unique name: the agent or lead it belongs to.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="agent: check and feedback; lead: also reports.",
)
@click.option("--team", help="Team the token's checks are reported under.")
@db_option
def token_create(name: str, role: str, team: str | None, db: str) -> None:
    """Print a new token once; only its hash is kept."""
    storage = open_storage(db)
    try:
        value = storage.create_token(name, role, team)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"created {role} token {name!r}{f' (team {team})' if team else ''}; it is shown only now:",
        err=True,
    )
    click.echo(value)


@token.command("list")
@db_option
def token_list(db: str) -> None:
    """List tokens: name, role, team, created, revoked."""
    for row in open_storage(db).list_tokens():
        revoked = f"revoked {row['revoked_at']:%Y-%m-%d %H:%M}" if row["revoked_at"] else "active"
        click.echo(
            f"{row['name']}\t{row['role']}\t{row['team'] or '-'}\t{row['created_at']:%Y-%m-%d %H:%M}\t{revoked}"
        )


@token.command("revoke")
@click.argument("name")
@db_option
def token_revoke(name: str, db: str) -> None:
    """Revoke the token called NAME; it stops working within 5 seconds."""
    try:
        open_storage(db).revoke_token(name)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"revoked {name!r}")


@click.group()
def feedback() -> None:
    """Agents' feedback on underlined phrases."""


@feedback.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@db_option
def feedback_export(file: Path, db: str) -> None:
    """Write feedback as JSONL that `tonecheck train --feedback FILE` reads."""
    items = open_storage(db).list_feedback()
    with file.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(
                json.dumps(
                    {k: item[k] for k in ("text", "start", "end", "verdict", "draft_id")},
                    ensure_ascii=False,
                )
                + "\n"
            )
    click.echo(f"wrote {len(items)} feedback item(s) to {file}")
