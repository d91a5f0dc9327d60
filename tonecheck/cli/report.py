"""`tonecheck report`: score an export of sent replies and write the lead's report as one
self-contained HTML file (and, with --csv, every reply's scores)."""

from __future__ import annotations

import csv
import sys
import time
from datetime import datetime
from pathlib import Path

import click
from tqdm import tqdm

from tonecheck.cli.options import artifacts_option, model_from, version_option
from tonecheck.model.batch import read_rows, score_rows
from tonecheck.reports.batch import SCORES_HEADER, TEXT_COLUMNS, chronological, collect
from tonecheck.reports.figures import build_report
from tonecheck.reports.render import content_security_policy, render_report
from tonecheck.reports.tables import BATCH

MAX_PROBLEMS_SHOWN = 200


def _show_problem(message: str) -> None:
    tqdm.write(message, file=sys.stderr)  # above the progress bar, not through it


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
@version_option
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
    loaded = model_from(artifacts, version)
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
        result = collect(progress, show_text, jsonl, writer, _show_problem)
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
