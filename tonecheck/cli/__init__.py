"""The `tonecheck` command; each group of commands lives in a module of its own."""

from __future__ import annotations

import click

from tonecheck.cli.data import data
from tonecheck.cli.database import database
from tonecheck.cli.model import evaluate, lexicon, models, promote, score, train
from tonecheck.cli.report import report
from tonecheck.cli.serve import serve
from tonecheck.cli.tokens import feedback, token


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tonecheck")
def main() -> None:
    """tonecheck: tone feedback for customer-support replies."""


for command in (data, train, evaluate, promote, score, models, lexicon, serve, token, feedback):
    main.add_command(command)
main.add_command(report)
main.add_command(database)
