"""`tonecheck data check|stats|compare`: validate and describe labeled JSONL files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tonecheck.model.corpus_stats import corpus_stats, format_stats_table
from tonecheck.model.data_check import check_file, read_corpus, read_records
from tonecheck.model.devset import DEV_LABELS, TURNS, DevSetUnavailable, load_dev_set
from tonecheck.model.records import DataError
from tonecheck.model.register import format_type_tables, type_table

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
@click.argument("files", type=FILE, nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def stats(files: tuple[Path, ...], fmt: str) -> None:
    """Print the balance of FILES together: labels (by channel, and by file when several),
    combinations, hedges, channels, domains."""
    try:
        parts = {str(f): read_records(f) for f in files}
        records = read_corpus(files)
    except DataError as error:
        raise click.ClickException(str(error)) from error
    figures = corpus_stats(records, parts)
    click.echo(json.dumps(figures, indent=2) if fmt == "json" else format_stats_table(figures))


@data.command()
@click.argument("files", type=FILE, nargs=-1, required=True)
@click.option(
    "--real",
    "real_labels",
    type=FILE,
    default=DEV_LABELS,
    show_default=True,
    help="Labels of real replies (ids only); their texts are read from --turns.",
)
@click.option(
    "--turns",
    type=FILE,
    default=TURNS,
    show_default=True,
    help="The real agent replies the --real labels point at.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def compare(files: tuple[Path, ...], real_labels: Path, turns: Path, fmt: str) -> None:
    """The register gap: for FILES by channel and for real replies, each reply type's share
    (links, DM moves, questions, closings, apologies, ...) and the label rates within it."""
    try:
        records = read_corpus(files)
        real = [r.record for r in load_dev_set(real_labels, turns)]
    except (DataError, DevSetUnavailable, ValueError) as error:
        raise click.ClickException(str(error)) from error
    tables = {
        f"corpus, {channel}": type_table([r for r in records if r.channel == channel])
        for channel in sorted({r.channel for r in records})
    }
    tables[f"real replies ({real_labels.name})"] = type_table(real)
    click.echo(json.dumps(tables, indent=2) if fmt == "json" else format_type_tables(tables))
