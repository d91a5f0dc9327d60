"""`tonecheck token create | list | revoke` and `tonecheck feedback export`: the database
from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tonecheck.cli.options import db_option, open_storage
from tonecheck.server.storage import ROLES, StorageError


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
