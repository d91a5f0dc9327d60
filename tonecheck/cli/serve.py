"""`tonecheck serve`: train a model when there is none, then run the server under uvicorn."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import click
import uvicorn

from tonecheck.cli.options import (
    artifacts_option,
    data_option,
    db_option,
    lexicon_from,
    lexicon_option,
    open_storage,
    write_private,
)
from tonecheck.model.artifact import ArtifactError, current_version
from tonecheck.model.records import DataError
from tonecheck.model.train import train_model
from tonecheck.server.app import create_app
from tonecheck.server.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_RATE_LIMIT,
    Settings,
)


def _refuse_a_taken_port(host: str, port: int) -> None:
    """One clear line, before any training or "serving on", when the address is taken."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as error:
        reason = error.strerror or str(error)
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {reason}; choose another with --port "
            "(make serve PORT=8766)"
        ) from None


def lead_token_file(db: str) -> Path:
    """Beside the SQLite file, or in the working directory for a database URL."""
    if "://" in db:
        return Path.cwd() / "tonecheck-lead-token.txt"
    return Path(db).resolve().parent / "tonecheck-lead-token.txt"


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port to listen on."
)
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
    default=DEFAULT_RATE_LIMIT,
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
@data_option
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
    data: tuple[Path, ...],
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
    _refuse_a_taken_port(host, port)
    lexicon = lexicon_from(lexicon_file)
    if current_version(artifacts) is None:
        if not train_if_missing:
            raise click.ClickException(f"no model in {artifacts}; run `tonecheck train` first")
        click.echo(
            f"no model in {artifacts}: training one from {' + '.join(map(str, data))} (a few seconds) ..."
        )
        try:
            result = train_model(data, artifacts, lexicon)
        except (DataError, ArtifactError) as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"trained {result.version} in {result.seconds:.0f} s")
    storage = open_storage(db, create=True)
    if storage.token_count() == 0:
        token = storage.create_token("lead", "lead")
        path = lead_token_file(db)
        write_private(path, token + "\n")
        click.echo(
            f"first start: created lead token 'lead'; it is in {path} (readable only by you), "
            "not in this log"
        )
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
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"tonecheck serving on http://{shown}:{port}")
    click.echo(
        f"  next: open http://{shown}:{port}/ (reports, health, extension setup); give each agent "
        "a token with `tonecheck token create --name NAME --role agent`"
    )
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
