"""`tonecheck report` on the files team leads have: helpdesk exports of six tools (written
by the team: headers as the tools name them, rows invented), any delimiter, .xlsx, a CSV
saved as .txt, day- or month-first dates; every row scored, listed or left out and counted."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.reports import run_report
from tonecheck.cli import main
from tonecheck.model.batch import file_kind, read_rows
from tonecheck.reports.batch import DateReader, row_kind

EXPORTS = Path(__file__).parent / "exports"
# file: (agent replies, internal notes, customer messages), as exports/README.md lists them
EXPECTED = {
    "zendesk.csv": (11, 3, 7),
    "zendesk_semicolon.csv": (11, 3, 7),
    "zendesk_as_txt.txt": (11, 3, 7),
    "freshdesk.csv": (12, 3, 7),
    "helpscout.csv": (10, 3, 8),
    "intercom.csv": (10, 3, 8),
    "front.csv": (12, 0, 8),
    "gorgias.csv": (9, 3, 9),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_helpdesk_export_is_read_and_accounted_for(
    name: str, trained_artifacts: Path, tmp_path: Path
) -> None:
    replies, notes, customers = EXPECTED[name]
    out, scores = tmp_path / "report.html", tmp_path / "scores.csv"
    code, output, _ = run_report(tmp_path, trained_artifacts, EXPORTS / name, "--csv", str(scores))
    assert code == 0, output
    assert (
        f"{replies + notes + customers} rows read: {replies} replies scored, 0 not scored" in output
    )
    assert f"{notes} internal notes, {customers} customer messages" in output
    rows = list(csv.DictReader(scores.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == replies and all(
        r["knowledge"] and r["agent"] and r["ticket_id"] for r in rows
    )
    assert "problem(s) listed below" in out.read_text(encoding="utf-8")


def test_the_message_author_is_the_agent_not_the_ticket_assignee(
    trained_artifacts: Path, tmp_path: Path
) -> None:
    scores = tmp_path / "scores.csv"
    code, output, _ = run_report(
        tmp_path, trained_artifacts, EXPORTS / "zendesk.csv", "--csv", str(scores)
    )
    assert code == 0, output
    agents = {r["agent"] for r in csv.DictReader(scores.read_text(encoding="utf-8").splitlines())}
    assert "Joanna Kowalczyk" in agents  # she answers on other agents' tickets


def test_file_kinds_by_content() -> None:
    assert file_kind(EXPORTS / "zendesk_as_txt.txt") == "csv"
    semicolons = list(read_rows(EXPORTS / "zendesk_semicolon.csv", ("comment body",)))
    commas = list(read_rows(EXPORTS / "zendesk.csv", ("comment body",)))
    assert [r.text for r in semicolons] == [r.text for r in commas]


def test_an_xlsx_export(trained_artifacts: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    text = (EXPORTS / "zendesk.csv").read_text(encoding="utf-8")
    for row in csv.reader(text.splitlines(keepends=True)):
        sheet.append(row)
    source = tmp_path / "export.xlsx"
    book.save(source)
    code, output, _ = run_report(tmp_path, trained_artifacts, source)
    assert code == 0, output
    assert "21 rows read: 11 replies scored" in output


def test_a_file_that_is_no_table_is_a_clear_error(trained_artifacts: Path, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Just some notes\nabout the week\n", encoding="utf-8")
    code, output, _ = run_report(tmp_path, trained_artifacts, source)
    assert code == 1 and "neither CSV, .xlsx nor JSONL" in output
    assert not (tmp_path / "report.html").exists()


def test_named_columns_override_the_guesses(trained_artifacts: Path, tmp_path: Path) -> None:
    source = tmp_path / "odd.csv"
    source.write_text("Ref;Said;Who\nT1;Your refund went out today.;Ann\n", encoding="utf-8")
    code, output, _ = run_report(tmp_path, trained_artifacts, source)
    assert code == 1 and "--text-column" in output
    scores = tmp_path / "s.csv"
    code, output, _ = run_report(
        tmp_path,
        trained_artifacts,
        source,
        "--text-column",
        "Said",
        "--agent-column",
        "Who",
        "--ticket-column",
        "Ref",
        "--csv",
        str(scores),
    )
    assert code == 0, output
    [row] = csv.DictReader(scores.read_text(encoding="utf-8").splitlines())
    assert row["agent"] == "Ann" and row["ticket_id"] == "T1"


def test_dates_day_first_month_first_and_ambiguous() -> None:
    month_first = DateReader(["11/03/2026 11:14", "11/14/2026 09:00"])
    assert month_first.read("11/03/2026 11:14")[0] == datetime(2026, 11, 3, 11, 14, tzinfo=UTC)
    day_first = DateReader(["17/03/2026 09:05", "03/04/2026 10:00"])
    assert day_first.read("03/04/2026 10:00")[0] == datetime(2026, 4, 3, 10, 0, tzinfo=UTC)
    ambiguous = DateReader(["03/04/2026", "05/06/2026"])
    assert ambiguous.problem and "--date-format" in ambiguous.problem
    assert ambiguous.read("03/04/2026") == (None, None)
    forced = DateReader(["03/04/2026"], "%m/%d/%Y")
    assert forced.read("03/04/2026")[0] == datetime(2026, 3, 4, tzinfo=UTC)
    iso = DateReader(["2026-03-16T09:15:42-06:00"])
    assert iso.read("2026-03-16T09:15:42-06:00")[0] == datetime(2026, 3, 16, 15, 15, 42, tzinfo=UTC)
    moment, why = iso.read("9999-12-31T23:00:00-05:00")
    assert moment is None and why and "9999" in why


def test_ambiguous_dates_are_one_problem_not_one_a_row(
    trained_artifacts: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dates.csv"
    source.write_text(
        "text,agent,created_at\n"
        + "".join(
            f"Your refund of ${n} went out today.,Ann,0{n}/0{n + 1}/2026\n" for n in range(1, 8)
        ),
        encoding="utf-8",
    )
    code, output, _ = run_report(tmp_path, trained_artifacts, source)
    assert code == 0, output
    assert output.count("could be day-first or month-first") == 1


def test_rows_of_customers_and_notes_by_column() -> None:
    assert row_kind({"Comment public": "false"}) == "note"
    assert row_kind({"Comment author role": "End-user"}) == "customer"
    assert row_kind({"Direction": "Inbound"}) == "customer"
    assert row_kind({"From agent": "No"}) == "customer"
    assert row_kind({"Thread Type": "reply"}) == "reply"


def test_outputs_that_would_destroy_the_input_are_refused_before_scoring(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nYour refund went out today.\n", encoding="utf-8")
    nowhere = tmp_path / "missing"  # no model either: the refusal comes first
    for args, fragment in (
        (["--out", str(tmp_path / "no" / "r.html")], "does not exist"),
        (["--out", str(source)], "is the input file"),
        (["--out", str(tmp_path / "r.html"), "--csv", str(source)], "is the input file"),
        (["--out", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.html")], "same file"),
    ):
        result = CliRunner().invoke(
            main, ["report", "--input", str(source), "--artifacts", str(nowhere), *args]
        )
        assert result.exit_code == 2 and fragment in result.output, result.output
    assert source.read_text(encoding="utf-8") == "text\nYour refund went out today.\n"


def test_extreme_dates_and_names_with_no_text_are_row_problems(
    trained_artifacts: Path, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    rows = [
        {
            "text": "Your refund went out today.",
            "agent": "Ann",
            "created_at": "9999-12-31T23:00:00-05:00",
        },
        {
            "text": "Your parcel left our depot this morning.",
            "agent": "B\\ud800b",
            "created_at": "2026-03-01",
        },
    ]
    source.write_text("\n".join(json.dumps(r) for r in rows).replace("\\\\ud800", "\\ud800") + "\n")
    out = tmp_path / "report.html"
    code, output, _ = run_report(tmp_path, trained_artifacts, source)
    assert code == 0, output
    assert "line 1: date '9999-12-31T23:00:00-05:00'" in output and "no text" in output
    assert out.stat().st_size > 1000
