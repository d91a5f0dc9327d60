"""`tonecheck train | evaluate | promote | score | models | lexicon`: the model from the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from tonecheck.cli.options import (
    artifacts_option,
    data_option,
    lexicon_from,
    lexicon_option,
    model_from,
    version_option,
)
from tonecheck.model.artifact import (
    ArtifactError,
    current_version,
    list_versions,
    read_metadata,
)
from tonecheck.model.batch import read_rows, score_rows
from tonecheck.model.data_check import read_corpus
from tonecheck.model.evaluate import evaluate_model, format_evaluation
from tonecheck.model.records import DataError
from tonecheck.model.scorer import TextTooLong
from tonecheck.model.train import promote as promote_version
from tonecheck.model.train import train_model
from tonecheck.model.types import PRINCIPLES
from tonecheck.reports.batch import ExportColumns


def _comparison(
    result_metrics: dict[str, Any], current: dict[str, Any] | None, name: str | None
) -> str:
    rows = [("principle / metric", "new", f"CURRENT {name}" if name else "CURRENT")]
    for principle in PRINCIPLES:
        for key in ("macro_f1", "roc_auc", "brier"):
            old = current["principles"][principle][key] if current else None
            rows.append(
                (
                    f"{principle} {key}",
                    f"{result_metrics['principles'][principle][key]:.3f}",
                    f"{old:.3f}" if old is not None else "-",
                )
            )
    for key in ("precision", "recall", "f1"):
        old = current["hedges"][key] if current else None
        rows.append(
            (
                f"hedge {key}",
                f"{result_metrics['hedges'][key]:.3f}",
                f"{old:.3f}" if old is not None else "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


@click.command()
@data_option
@click.option(
    "--feedback",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Agents' feedback from `tonecheck feedback export`.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@artifacts_option
@lexicon_option
def train(
    data: tuple[Path, ...],
    feedback: Path | None,
    seed: int,
    artifacts: Path,
    lexicon_file: Path | None,
) -> None:
    """Train on the train split of every --data file, evaluate on their test split, save a
    new version."""
    try:
        result = train_model(data, artifacts, lexicon_from(lexicon_file), seed, feedback)
    except (DataError, ArtifactError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"trained {result.version} in {result.seconds:.1f} s -> {result.path}")
    click.echo(_comparison(result.metrics, result.current_metrics, result.current_version))
    if result.became_current:
        click.echo(f"{result.version} is now CURRENT (the first version)")
    else:
        click.echo(
            f"CURRENT is still {result.current_version}; `tonecheck promote {result.version}` to deploy"
        )


@click.command()
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote even if it scores lower than CURRENT.")
@artifacts_option
def promote(version: str, force: bool, artifacts: Path) -> None:
    """Make VERSION the CURRENT model (atomically); running servers pick it up."""
    try:
        previous = promote_version(artifacts, version, force)
    except ArtifactError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"CURRENT is now {version} (was {previous or 'none'})")


@click.command()
@data_option
@click.option(
    "--split",
    type=click.Choice(["test", "train", "all"]),
    default="all",
    show_default=True,
    help="Which records of FILE to evaluate on.",
)
@version_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@artifacts_option
def evaluate(
    data: tuple[Path, ...], split: str, version: str | None, fmt: str, artifacts: Path
) -> None:
    """Precision, recall, F1, ROC AUC, Brier per principle; hedge span P/R/F1 vs the lexicon."""
    try:
        records = read_corpus(data)
    except DataError as error:
        raise click.ClickException(str(error)) from error
    loaded = model_from(artifacts, version)
    subset = [r for r in records if split == "all" or r.split == split]
    figures = evaluate_model(loaded.model, subset)
    figures["version"] = loaded.version
    if fmt == "json":
        click.echo(json.dumps(figures, indent=2))
    else:
        names = " + ".join(str(d) for d in data)
        click.echo(format_evaluation(figures, f"model {loaded.version} on {names} ({split})"))


@click.command()
@artifacts_option
def models(artifacts: Path) -> None:
    """List model versions with their test-split figures; * marks CURRENT."""
    current = current_version(artifacts)
    for version in list_versions(artifacts):
        try:
            metrics = read_metadata(artifacts, version).get("metrics", {})
            summary = f"macro F1 {metrics.get('macro_f1_mean', 0):.3f}  hedge F1 {metrics.get('hedges', {}).get('f1', 0):.3f}"
        except ArtifactError as error:
            summary = f"unreadable: {error}"
        click.echo(f"{'*' if version == current else ' '} {version}  {summary}")


def _print_table(record_id: str, result: dict[str, Any]) -> None:
    if result["overall"] is None:
        click.echo(f"{record_id}: not scored: {result.get('reason')}")
        return
    scores = "  ".join(f"{p} {result['scores'][p]:>3}" for p in PRINCIPLES)
    click.echo(f"{record_id}: {scores}  overall {result['overall']:>3}")
    for hedge in result["hedges"]:
        rewrite = hedge["rewrite"]
        fix = repr(rewrite["preview"]) if rewrite else "(no rewrite that keeps the meaning)"
        click.echo(
            f"  hedge {hedge['start']}..{hedge['end']} {hedge['text']!r} [{hedge['category']}] -> {fix}"
        )
    for principle, items in result["explanations"].items():
        for item in items[:4]:
            click.echo(f"  {principle}: {item['reason']}")


@click.command()
@click.argument("text", required=False)
@click.option(
    "--file",
    "input_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="JSONL records (id, text), or CSV (any delimiter) or .xlsx with a text column.",
)
@click.option("--text-column", help="Column holding the reply text (default: guessed).")
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "\t", "|", "tab"]),
    callback=lambda _ctx, _param, value: "\t" if value == "tab" else value,
    help="CSV delimiter (default: sniffed from the file).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl"]),
    default=None,
    help="Output format (default: table for TEXT, jsonl for --file).",
)
@click.option(
    "--jobs", type=int, default=1, show_default=True, help="Worker processes (-1: all cores)."
)
@version_option
@artifacts_option
def score(
    text: str | None,
    input_file: Path | None,
    fmt: str | None,
    text_column: str | None,
    delimiter: str | None,
    jobs: int,
    version: str | None,
    artifacts: Path,
) -> None:
    """Score TEXT, or every reply in --file (output in input order, offsets in code points)."""
    if (text is None) == (input_file is None):
        raise click.UsageError("give either TEXT or --file, not both")
    model = model_from(artifacts, version).model
    if text is not None:
        try:
            result = model.score(text).as_json()
        except TextTooLong as error:
            raise click.ClickException(f"TEXT: {error}") from error
        if fmt == "jsonl":
            click.echo(json.dumps({"id": None, **result}, ensure_ascii=False))
        else:
            _print_table("TEXT", result)
        return
    assert input_file is not None
    failures = 0
    try:
        rows = read_rows(input_file, ExportColumns.named(text=text_column).text, delimiter)
        progress = tqdm(rows, unit=" replies", disable=not sys.stderr.isatty(), file=sys.stderr)
        for row, scored, problem in score_rows(model, progress, jobs):
            if problem or scored is None:
                failures += 1
                click.echo(f"{input_file}: {problem}", err=True)
                if (fmt or "jsonl") == "jsonl":
                    click.echo(json.dumps({"id": row.id, "error": problem}, ensure_ascii=False))
            elif (fmt or "jsonl") == "jsonl":
                click.echo(json.dumps({"id": row.id, **scored.as_json()}, ensure_ascii=False))
            else:
                _print_table(row.id, scored.as_json())
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if failures:
        raise click.ClickException(f"{failures} row(s) could not be scored; see the messages above")


@click.group()
def lexicon() -> None:
    """Inspect the hedge lexicon."""


@lexicon.command("show")
@lexicon_option
def lexicon_show(lexicon_file: Path | None) -> None:
    """Print the effective lexicon (built-in plus team file) as JSON."""
    click.echo(json.dumps(lexicon_from(lexicon_file).as_json(), indent=2, ensure_ascii=False))
