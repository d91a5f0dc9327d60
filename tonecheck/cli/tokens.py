"""`tonecheck token create | list | revoke` and `tonecheck feedback export`: the database
from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from tonecheck.cli.options import db_option, open_storage, write_private
from tonecheck.server.storage import ROLES, StorageError


@click.group()
def token() -> None:
    """Create, list and revoke API tokens (stored hashed)."""


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "role": row["role"],
        "team": row["team"],
        "created_at": row["created_at"].isoformat(),
        "revoked_at": row["revoked_at"].isoformat() if row["revoked_at"] else None,
    }


def _read_team_csv(path: Path) -> list[tuple[str, str, str | None]]:
    """(name, role, team) per row of a CSV with a header naming `name`, `role`, `team`."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in header:
        raise click.ClickException(f"{path}: needs a header with name (and role, team)")
    wanted: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        name, role = cells.get("name", ""), cells.get("role", "") or "agent"
        if not name:
            problems.append(f"{path}: row {number}: name is empty")
        elif role not in ROLES:
            problems.append(f"{path}: row {number}: role {role!r} is not one of {', '.join(ROLES)}")
        else:
            wanted.append((name, role, cells.get("team") or None))
    if problems:
        raise click.ClickException("\n".join(problems) + "\nno token was created")
    return wanted


def _hand_out(created: list[dict[str, str | None]], out: Path | None, as_json: bool) -> None:
    """Show new tokens once: on stdout, or in a file only its owner can read."""
    if as_json:
        body = json.dumps(created, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "role", "team", "token"])
        writer.writerows([[c["name"], c["role"], c["team"] or "", c["token"]] for c in created])
        body = buffer.getvalue()
    if out is None:
        click.echo(body, nl=False)
        return
    write_private(out, body, exclusive=True)
    click.echo(f"wrote {len(created)} token(s) to {out} (readable only by you)", err=True)


@token.command("create")
@click.option("--name", help="Unique name: the agent or lead it belongs to.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    help="agent: check and feedback; lead: also reports.",
)
@click.option("--team", help="Team the token's checks are reported under.")
@click.option(
    "--from-csv",
    "from_csv",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Create a token for every row of a CSV with name, role (default agent), team.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the new token(s) to this file (created readable only by you) instead of stdout.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--create", is_flag=True, help="Create the database when --db names no existing file."
)
@db_option
def token_create(
    name: str | None,
    role: str | None,
    team: str | None,
    from_csv: Path | None,
    out: Path | None,
    as_json: bool,
    create: bool,
    db: str,
) -> None:
    """Create a token (or one per row of --from-csv) and show it once; only its hash is kept."""
    if (from_csv is None) == (name is None):
        raise click.UsageError("give either --name and --role, or --from-csv")
    if name is not None and role is None:
        raise click.UsageError("--role is required with --name")
    if out is not None and out.exists():
        raise click.BadParameter(
            f"{out} exists; tokens are written to a new file", param_hint="--out"
        )
    wanted = _read_team_csv(from_csv) if from_csv else [(str(name), str(role), team)]
    storage = open_storage(db, create=create)
    try:
        values = storage.create_tokens(wanted)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    created = [
        {"name": n, "role": r, "team": t, "token": v}
        for (n, r, t), v in zip(wanted, values, strict=True)
    ]
    if len(created) == 1 and not as_json and out is None:
        n, r, t = wanted[0]
        click.echo(
            f"created {r} token {n!r}{f' (team {t})' if t else ''}; it is shown only now:",
            err=True,
        )
        click.echo(values[0])
        return
    _hand_out(created, out, as_json)


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
def token_list(as_json: bool, db: str) -> None:
    """List tokens: name, role, team, created, revoked."""
    rows = [_row(r) for r in open_storage(db).list_tokens()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo("name\trole\tteam\tcreated\tstatus")
    for row in rows:
        status = f"revoked {row['revoked_at'][:16]}" if row["revoked_at"] else "active"
        click.echo(
            f"{row['name']}\t{row['role']}\t{row['team'] or '-'}\t{row['created_at'][:16]}\t{status}"
        )
    if not rows:
        click.echo(f"(no tokens in {db})", err=True)


@token.command("rotate")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
def token_rotate(name: str, as_json: bool, db: str) -> None:
    """Give NAME a new secret (the old one stops working within 5 seconds); same name, same
    report history. A revoked token comes back active."""
    try:
        value = open_storage(db).rotate_token(name)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps({"name": name, "token": value}))
    else:
        click.echo(f"new secret for {name!r}; it is shown only now:", err=True)
        click.echo(value)


@token.command("set-team")
@click.argument("name")
@click.argument("team")
@db_option
def token_set_team(name: str, team: str, db: str) -> None:
    """Report NAME's future checks under TEAM ("-" for none); stored checks keep theirs."""
    try:
        open_storage(db).set_team(name, None if team == "-" else team)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{name!r} is now in team {team}")


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
