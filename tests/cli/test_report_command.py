"""`tonecheck report` through click's runner, and the readers' handling of bad rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.support.pages import page_cells
from tests.support.reports import run_report
from tonecheck.cli.report import SCORES_HEADER
from tonecheck.model.batch import InputRow, read_csv_rows, read_jsonl_rows

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
GOOD = "Your refund of $40 was issued today and reaches your card by Friday."
HEDGY = "I think the refund should hopefully arrive soon, maybe Friday."


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_csv_reader_reports_every_bad_row_and_reads_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(
        b"id,Text,agent\n"
        b'1,"fine, thanks",ana\n'
        b'2,"He said "hi" there",bob\n'
        b"3,plain,cy\n"
        b'4,"two\nlines",dd\n'
        b'5,"never closed,ee\n'
        b"6,after,ff\n"
        b"7,caf\xe9,gg\n"
        b"8,bad \x81 byte,hh\n"
        b"9,too,many,fields\n"
    )
    rows = list(read_csv_rows(source))
    by_number = {r.number: r for r in rows}
    assert [r.text for r in rows if r.error is None] == [
        "fine, thanks",
        "plain",
        "two\nlines",
        "after",
        "café",
    ]
    assert "broken CSV quoting" in (by_number[3].error or "")
    assert (by_number[6].error or "").startswith("row 6 (line 7): broken CSV quoting")
    assert by_number[8].warning == "row 8 (line 9): not UTF-8 (byte 0xe9); read as Windows-1252"
    assert "unknown encoding: byte 0x81" in (by_number[9].error or "")
    assert "4 fields, the header has 3" in (by_number[10].error or "")
    assert sorted(by_number) == list(range(2, 11))


def test_utf16_export_with_bom_is_read(tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("text,agent\nhello there,ana\n".encode("utf-16"))
    assert [(r.text, r.extra) for r in read_csv_rows(source)] == [("hello there", {"agent": "ana"})]


def test_jsonl_reader_takes_other_text_keys(tmp_path: Path) -> None:
    source = tmp_path / "x.jsonl"
    source.write_text(
        json.dumps({"id": "a", "Body": "hi", "author": "ana"})
        + "\n"
        + json.dumps({"id": "b"})
        + "\n",
        "utf-8",
    )
    rows = list(read_jsonl_rows(source, ("text", "body")))
    assert rows[0] == InputRow(1, "a", "hi", None, {"author": "ana"})
    assert rows[1].error == "line 2: text/body: missing or not a string"


def test_report_scores_a_helpdesk_export_and_lists_bad_rows(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    source = write_csv(
        tmp_path / "export.csv",
        ["Ticket ID", "Body", "Assignee", "Group", "Created At"],
        [
            ["10", HEDGY, "ana", "billing", "2026-03-02T09:00:00Z"],
            ["10", GOOD, "ana", "billing", "2026-03-02T10:00:00Z"],
            ["11", GOOD, "bo", "tech", "2026-03-10"],
            ["12", "   ", "bo", "tech", "2026-03-10"],
            ["13", "x" * 20_001, "bo", "tech", "2026-03-10"],
            ["14", GOOD, "bo", "tech", "last tuesday"],
        ],
    )
    scores = tmp_path / "scores.csv"
    code, stderr, html = run_report(tmp_path, trained_artifacts, source, "--csv", str(scores))
    assert code == 0, stderr
    assert "row 5 (id 4): text is empty or only whitespace" in stderr
    assert "row 6 (id 5): text has 20,001 characters, over the 20,000 limit" in stderr
    assert (
        "row 7: date 'last tuesday' is not ISO 8601 or a day/month date; counted without a date"
        in stderr
    )
    assert "6 rows read: 4 replies scored, 2 not scored" in stderr
    for message in ("row 5 (id 4): text is empty", "row 6 (id 5): text has 20,001", "row 7: date"):
        assert message in html
    assert '<meta http-equiv="Content-Security-Policy"' in html and "<script" not in html
    assert "Replies per ticket" in html and "2026-03-09" in html
    # Without --show-text no reply text reaches the file that gets e-mailed.
    assert HEDGY not in html and GOOD not in html
    table = list(csv.DictReader(io.StringIO(scores.read_text("utf-8"))))
    assert tuple(table[0]) == SCORES_HEADER and len(table) == 6
    scored = [r for r in table if not r["problem"]]
    assert [r["agent"] for r in scored] == ["ana", "ana", "bo", "bo"]
    assert [r["ticket_id"] for r in scored] == ["10", "10", "11", "14"]
    assert int(scored[0]["hedges"]) >= 2 and "I think" in scored[0]["hedge_phrases"]
    # The per-reply CSV reproduces the report's mean overall score.
    mean = round(sum(int(r["overall"]) for r in scored) / len(scored), 1)
    assert f"<td>{mean:.1f}</td>" in html


def test_report_escapes_text_agent_and_team(tmp_path: Path, trained_artifacts: Path) -> None:
    source = write_csv(
        tmp_path / "evil.csv",
        ["text", "agent", "team", "ticket_id"],
        [[f"{HEDGY} {EVIL}", EVIL, EVIL, EVIL], [f"{EVIL} {HEDGY}", EVIL, EVIL, EVIL]],
    )
    code, stderr, html = run_report(tmp_path, trained_artifacts, source, "--show-text")
    assert code == 0, stderr
    assert "<script>" not in html and "<img" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    assert "Lowest-scoring replies" in html


def test_report_reads_jsonl_and_broken_csv_without_stopping(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    jsonl = tmp_path / "replies.jsonl"
    jsonl.write_text(
        "\n".join(
            [
                json.dumps({"message": GOOD, "author": "ana"}),
                "{broken",
                json.dumps({"message": HEDGY}),
            ]
        )
        + "\n",
        "utf-8",
    )
    code, stderr, html = run_report(tmp_path, trained_artifacts, jsonl)
    assert (
        code == 0
        and "line 2: invalid JSON" in stderr
        and "3 rows read: 2 replies scored, 1 not scored" in stderr
    )
    broken = tmp_path / "broken.csv"
    broken.write_bytes(
        f'text,agent\n"{GOOD}",ana\n"oops "quoted" badly,bo\n"{HEDGY}",cy\ncaf\xe9 ok,dd\n'.encode().replace(
            b"\xc3\xa9", b"\xe9"
        )
    )
    code, stderr, html = run_report(tmp_path, trained_artifacts, broken)
    assert code == 0, stderr
    assert (
        "row 3: broken CSV quoting" in stderr
        and "4 rows read: 3 replies scored, 1 not scored" in stderr
    )
    assert "row 5: not UTF-8 (byte 0xe9); read as Windows-1252" in html


def test_report_without_a_model_or_text_column_is_a_clear_error(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "x.csv", ["subject"], [["hi"]])
    code, output, _ = run_report(tmp_path, tmp_path / "none", source)
    assert code == 1 and "no CURRENT model" in output


def test_newest_first_export_compares_each_ticket_oldest_to_newest(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    source = write_csv(
        tmp_path / "newest-first.csv",
        ["ticket", "message", "author", "created"],
        [
            ["7", GOOD, "ana", "2026-03-02 11:00"],
            ["7", HEDGY, "ana", "2026-03-02T09:00:00+00:00"],
        ],
    )
    scores = tmp_path / "scores.csv"
    code, output, html = run_report(tmp_path, trained_artifacts, source, "--csv", str(scores))
    assert code == 0, output
    good, hedgy = (
        int(r["overall"]) for r in csv.DictReader(io.StringIO(scores.read_text("utf-8")))
    )
    assert good > hedgy
    cells = page_cells(html)
    assert cells[("improvement", "Overall", "first reply")] == f"{hedgy:.1f}"
    assert cells[("improvement", "Overall", "change")] == f"{good - hedgy:+.1f}"
