"""The README documents every command, option and endpoint: a test fails when one is missing."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from tests.support.paths import REPO
from tonecheck.cli import main
from tonecheck.server.app import create_app

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))
    else:
        yield " ".join(path), command


ALL = list(commands(main, ("tonecheck",)))


@pytest.mark.parametrize(("path", "command"), ALL, ids=[p for p, _ in ALL])
def test_command_and_its_options_are_documented(path: str, command: click.Command) -> None:
    assert f"`{path}" in README, f"README does not document `{path}`"
    for param in command.params:
        if isinstance(param, click.Option):
            for flag in param.opts + param.secondary_opts:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"README does not document {path} {flag}"


def test_every_endpoint_is_documented() -> None:
    paths = {str(getattr(route, "path", "")) for route in create_app().routes}
    for path in sorted(paths):
        shown = path.replace("{name}", "")
        assert shown in README, f"README does not document {path}"


def test_no_placeholders_left() -> None:
    assert "_SECTION" not in README
