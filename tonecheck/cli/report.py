"""`tonecheck report`: score an export of sent replies and write the lead's report as one
self-contained HTML file (and, with --csv, every reply's scores)."""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from tonecheck.cli.options import artifacts_option, column_options, model_from, version_option
from tonecheck.model.batch import file_kind, read_rows, score_rows
from tonecheck.reports.batch import (
    SCORES_HEADER,
    ExportColumns,
    LeftOut,
    chronological,
    collect,
    sent_replies,
)
from tonecheck.reports.figures import build_report
from tonecheck.reports.render import content_security_policy, render_report
from tonecheck.reports.tables import BATCH

MAX_PROBLEMS_SHOWN = 200


def _show_problem(message: str) -> None:
    tqdm.write(message, file=sys.stderr)  # above the progress bar, not through it


def _refuse_clobbering(input_file: Path, out: Path, csv_out: Path | None) -> None:
    """Before anything is scored: the outputs must go to folders that exist, and must not
    name the input or each other (writing one would destroy the other)."""
    targets = [("--out", out)] + ([("--csv", csv_out)] if csv_out else [])
    for option, target in targets:
        if not target.parent.is_dir():
            raise click.BadParameter(f"folder {target.parent} does not exist", param_hint=option)
        if target.resolve() == input_file.resolve():
            raise click.BadParameter(f"{target} is the input file", param_hint=option)
    if csv_out and csv_out.resolve() == out.resolve():
        raise click.BadParameter("--csv and --out name the same file", param_hint="--csv")


def _write_atomically(path: Path, write: Callable[[Any], None]) -> None:
    """Write to a temporary file beside `path`, then rename it over: never half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command()
@click.option(
    "--input",
    "input_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Sent replies: CSV (any delimiter), .xlsx, or JSONL (.jsonl/.ndjson).",
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
@column_options
@version_option
@artifacts_option
def report(
    input_file: Path,
    out: Path,
    csv_out: Path | None,
    jobs: int,
    title: str | None,
    show_text: bool,
    text_column: str | None,
    agent_column: str | None,
    team_column: str | None,
    date_column: str | None,
    ticket_column: str | None,
    delimiter: str | None,
    date_format: str | None,
    version: str | None,
    artifacts: Path,
) -> None:
    """Score every agent reply in --input and write the team-lead report to --out.

    Internal notes and the customers' own messages (marked by the export's public/private
    and author columns) are left out and counted."""
    _refuse_clobbering(input_file, out, csv_out)
    columns = ExportColumns.named(
        text=text_column,
        agent=agent_column,
        team=team_column,
        date=date_column,
        ticket=ticket_column,
    )
    loaded = model_from(artifacts, version)
    began = time.perf_counter()
    left_out = LeftOut()
    try:
        rows = sent_replies(read_rows(input_file, columns.text, delimiter), left_out)
        results = score_rows(loaded.model, rows, jobs, explain=False)
        # The bar counts replies scored (not read ahead), and only on a terminal.
        progress = tqdm(results, unit=" replies", disable=not sys.stderr.isatty(), file=sys.stderr)
        jsonl = file_kind(input_file) == "jsonl"
        result = collect(progress, show_text, jsonl, _show_problem, columns, date_format)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    seconds = time.perf_counter() - began
    built = build_report(chronological(result.checks))
    scored = len(result.checks)
    not_scored = result.rows - scored
    accounted = (
        f"{result.rows + left_out.total:,} rows read: {scored:,} replies scored, "
        f"{not_scored:,} not scored (listed), {left_out.total:,} left out "
        f"({left_out.notes:,} internal notes, {left_out.customer:,} customer messages)"
    )
    page, _ = render_report(
        "batch.html",
        built,
        BATCH,
        heading=title or f"Tone report: {input_file.name}",
        lede=(
            f"{scored:,} of {result.rows:,} agent replies scored by model {loaded.version} "
            f"on {datetime.now():%Y-%m-%d}; {accounted}; {len(result.problems):,} problem(s) "
            "listed below."
        ),
        problems=result.problems,
        max_problems=MAX_PROBLEMS_SHOWN,
        csp_meta=content_security_policy(standalone=True),
    )
    if csv_out:

        def write_scores(stream: Any) -> None:
            writer = csv.writer(stream)
            writer.writerow(SCORES_HEADER)
            writer.writerows(result.scores)

        _write_atomically(csv_out, write_scores)
    _write_atomically(out, lambda stream: stream.write(page))
    rate = result.rows / seconds if seconds else 0.0
    click.echo(
        f"{accounted}; {seconds:.1f} s ({rate:,.0f} replies/s); "
        f"{len(result.problems):,} problem(s) -> {out}" + (f", {csv_out}" if csv_out else ""),
        err=True,
    )
