"""Running `tonecheck report` through click's runner, for the report command's tests."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tonecheck.cli import main


def run_report(tmp_path: Path, artifacts: Path, source: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--input",
            str(source),
            "--out",
            str(tmp_path / "report.html"),
            "--artifacts",
            str(artifacts),
            *extra,
        ],
    )
    html = (tmp_path / "report.html").read_text("utf-8") if result.exit_code == 0 else ""
    return result.exit_code, result.output, html
