"""The `tonecheck` command. Each command group lives in its own `cli_*` module."""

from __future__ import annotations

import click

from server.cli_data import data
from server.cli_model import evaluate, lexicon, models, promote, score, train
from server.cli_report import report
from server.cli_serve import feedback, serve, token


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tonecheck")
def main() -> None:
    """tonecheck: tone feedback for customer-support replies."""


for command in (data, train, evaluate, promote, score, models, lexicon, serve, token, feedback):
    main.add_command(command)
main.add_command(report)
