"""`tonecheck data check|stats`: validate and describe a labeled JSONL file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tonecheck.model.corpus_stats import corpus_stats, format_stats_table
from tonecheck.model.data_check import check_file, read_records
from tonecheck.model.records import DataError

FILE = click.Path(path_type=Path, dir_okay=False)


@click.group()
def data() -> None:
    """Validate and describe labeled data (the record of LABELING.md)."""


@data.command()
@click.argument("file", type=FILE)
@click.option(
    "--max-problems",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Print at most this many problems (0: all); the total is always printed.",
)
def check(file: Path, max_problems: int) -> None:
    """Report every problem in FILE with its line number and field; exit 1 on any."""
    result = check_file(file)
    shown = result.problems if max_problems == 0 else result.problems[:max_problems]
    for problem in shown:
        click.echo(f"{file}:{problem}", err=True)
    if len(shown) < len(result.problems):
        click.echo(f"... {len(result.problems) - len(shown)} more not shown", err=True)
    if result.problems:
        raise click.ClickException(
            f"{file}: {len(result.problems)} problem(s) in {len(result.records)} valid record(s)"
        )
    click.echo(f"{file}: {len(result.records)} records, no problems")


@data.command()
@click.argument("file", type=FILE)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def stats(file: Path, fmt: str) -> None:
    """Print the balance of FILE: labels, combinations, hedges, channels, domains."""
    try:
        records = read_records(file)
    except DataError as error:
        raise click.ClickException(str(error)) from error
    figures = corpus_stats(records)
    click.echo(json.dumps(figures, indent=2) if fmt == "json" else format_stats_table(figures))
