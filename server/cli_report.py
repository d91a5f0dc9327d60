"""`tonecheck report`: score an export of sent replies and write the lead's report as one
self-contained HTML file (and, with --csv, every reply's scores)."""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from model.artifact import ArtifactError, current_version, load_artifact
from model.batch import InputRow, read_rows, score_rows
from model.types import PRINCIPLES
from server.cli_model import artifacts_option
from server.report_render import content_security_policy, render_report
from server.report_tables import BATCH, safe_cell
from server.reports import MEASURES, CheckRow, build_report


def _names(*names: str) -> tuple[str, ...]:
    """Each name as written, with spaces and with hyphens (`ticket_id`, `ticket id`, `ticket-id`)."""
    return tuple(
        dict.fromkeys(v for n in names for v in (n, n.replace("_", " "), n.replace("_", "-")))
    )


# Helpdesk exports name their columns differently; the requester is the customer, never the agent.
TEXT_COLUMNS = _names("text", "body", "plain_body", "comment", "message", "reply", "content")
AGENT_COLUMNS = _names("agent", "agent_name", "author", "author_name", "assignee", "assignee_name")
TEAM_COLUMNS = _names("team", "team_name", "group", "group_name")
DATE_COLUMNS = _names("created_at", "created", "date", "sent_at", "timestamp", "time")
TICKET_COLUMNS = _names("ticket_id", "ticket", "conversation_id", "conversation", "thread_id", "id")
SCORES_HEADER = (
    "row",
    "id",
    "agent",
    "team",
    "created_at",
    "ticket_id",
    *MEASURES,
    "hedges",
    "hedge_phrases",
    "problem",
)
MAX_PROBLEMS_SHOWN = 200


def _pick(extra: dict[str, str], names: Sequence[str]) -> str | None:
    lowered = {k.strip().lower(): v for k, v in extra.items()}
    for name in names:
        value = lowered.get(name, "").strip()
        if value:
            return value
    return None


def _parse_date(value: str) -> datetime | None:
    """ISO 8601; a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def chronological(checks: list[CheckRow]) -> list[CheckRow]:
    """Oldest first when every reply has a date (exports are often newest first), so a
    ticket's first reply is its earliest; otherwise the file's order."""
    if checks and all(c.created_at is not None for c in checks):
        return sorted(checks, key=lambda c: c.created_at or datetime.min)
    return checks


@dataclass
class BatchResult:
    checks: list[CheckRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: int = 0


def _warn(result: BatchResult, message: str) -> None:
    result.problems.append(message)
    tqdm.write(message, file=sys.stderr)  # above the progress bar, not through it


def collect(
    scored: Iterable[tuple[InputRow, dict[str, Any] | None, str | None]],
    show_text: bool,
    jsonl: bool,
    scores_out: Any | None = None,
) -> BatchResult:
    """CheckRows from scored rows; every row not scored, or read with a guess, is a problem."""
    result = BatchResult()
    word = "line" if jsonl else "row"
    for row, scores, problem in scored:
        result.rows += 1
        extra = row.extra or {}
        agent = _pick(extra, AGENT_COLUMNS)
        team = _pick(extra, TEAM_COLUMNS)
        ticket = _pick(extra, TICKET_COLUMNS)
        raw_date = _pick(extra, DATE_COLUMNS)
        created = _parse_date(raw_date) if raw_date else None
        if row.warning:
            _warn(result, row.warning)
        if raw_date and created is None and not problem:
            _warn(
                result,
                f"{word} {row.number}: date {raw_date[:40]!r} is not ISO 8601; counted without a date",
            )
        if problem is None and scores is not None and scores["overall"] is None:
            problem = f"{word} {row.number} (id {row.id}): {scores.get('reason', 'not scored')}"
        values: tuple[int, ...] = ()
        hedges: tuple[tuple[str, str], ...] = ()
        if problem is not None or scores is None:
            _warn(result, problem or f"{word} {row.number}: not scored")
        else:
            values = (*(int(scores["scores"][p]) for p in PRINCIPLES), int(scores["overall"]))
            hedges = tuple((h["text"], h["category"]) for h in scores["hedges"])
            result.checks.append(
                CheckRow(
                    f"{word} {row.number}",
                    created,
                    agent,
                    team,
                    ticket,
                    values,
                    hedges,
                    row.text if show_text else None,
                )
            )
        if scores_out is not None:
            ok = bool(values)
            cells = [str(row.number), row.id, agent or "", team or "", raw_date or "", ticket or ""]
            cells += [str(v) for v in values] if ok else [""] * len(MEASURES)
            cells += [str(len(hedges)), "; ".join(p for p, _ in hedges)] if ok else ["", ""]
            cells.append(problem or row.warning or "")
            scores_out.writerow([safe_cell(c) for c in cells])
    return result


@click.command()
@click.option(
    "--input",
    "input_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Sent replies: CSV with a text column (or body, comment, message) or JSONL.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The report: one self-contained HTML file.",
)
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write every reply's scores (and every problem) as CSV.",
)
@click.option(
    "--jobs", type=int, default=1, show_default=True, help="Worker processes (-1: all cores)."
)
@click.option("--title", help="Heading of the report (default: the input's file name).")
@click.option(
    "--show-text",
    is_flag=True,
    help="Include the text of the lowest-scoring replies (off: the file may be e-mailed).",
)
@click.option("--version", "version", help="Model version (default: CURRENT).")
@artifacts_option
def report(
    input_file: Path,
    out: Path,
    csv_out: Path | None,
    jobs: int,
    title: str | None,
    show_text: bool,
    version: str | None,
    artifacts: Path,
) -> None:
    """Score every reply in --input and write the team-lead report to --out."""
    try:
        chosen = version or current_version(artifacts)
        if chosen is None:
            raise ArtifactError(
                f"no CURRENT model in {artifacts}; train one with `tonecheck train`"
            )
        loaded = load_artifact(artifacts, chosen)
    except ArtifactError as error:
        raise click.ClickException(str(error)) from error
    began = time.perf_counter()
    scores_file = csv_out.open("w", encoding="utf-8", newline="") if csv_out else None
    try:
        writer = csv.writer(scores_file) if scores_file else None
        if writer:
            writer.writerow(SCORES_HEADER)
        results = score_rows(loaded.model, read_rows(input_file, TEXT_COLUMNS), jobs, explain=False)
        # The bar counts replies scored (not read ahead), and only on a terminal.
        progress = tqdm(results, unit=" replies", disable=not sys.stderr.isatty(), file=sys.stderr)
        jsonl = input_file.suffix.lower() != ".csv"
        result = collect(progress, show_text, jsonl, writer)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    finally:
        if scores_file:
            scores_file.close()
    seconds = time.perf_counter() - began
    built = build_report(chronological(result.checks))
    scored = len(result.checks)
    page, _ = render_report(
        "batch.html",
        built,
        BATCH,
        heading=title or f"Tone report: {input_file.name}",
        lede=(
            f"{scored:,} of {result.rows:,} replies scored by model {loaded.version} "
            f"on {datetime.now():%Y-%m-%d}; {len(result.problems):,} problem(s) listed below."
        ),
        problems=result.problems,
        max_problems=MAX_PROBLEMS_SHOWN,
        csp_meta=content_security_policy(standalone=True),
    )
    out.write_text(page, encoding="utf-8")
    rate = result.rows / seconds if seconds else 0.0
    click.echo(
        f"scored {scored:,} of {result.rows:,} replies in {seconds:.1f} s ({rate:,.0f} replies/s); "
        f"{len(result.problems):,} problem(s) -> {out}" + (f", {csv_out}" if csv_out else ""),
        err=True,
    )
