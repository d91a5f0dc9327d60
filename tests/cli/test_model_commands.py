"""The model commands through click's runner: train, evaluate, promote, score, models, lexicon."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.paths import REPO
from tests.support.records import small_data
from tonecheck.cli import main


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def artifacts(trained_artifacts: Path, tmp_path: Path) -> Path:
    root = tmp_path / "artifacts"
    shutil.copytree(trained_artifacts, root)
    return root


def test_train_compares_with_current_and_leaves_current(tmp_path: Path, artifacts: Path) -> None:
    current = (artifacts / "CURRENT").read_text().strip()
    code, output = invoke(
        "train", "--data", str(small_data(tmp_path)), "--artifacts", str(artifacts), "--seed", "3"
    )
    assert code == 0, output
    assert "principle / metric" in output and f"CURRENT {current}" in output
    assert "hedge f1" in output
    assert f"CURRENT is still {current}" in output
    assert (artifacts / "CURRENT").read_text().strip() == current


def test_first_version_becomes_current_and_feedback_is_read(tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.jsonl"
    verdict = {"text": "Maybe we can talk Friday.", "start": 0, "end": 5, "verdict": "not_a_hedge"}
    feedback.write_text(json.dumps(verdict) + "\n")
    root = tmp_path / "fresh"
    code, output = invoke(
        "train",
        "--data",
        str(small_data(tmp_path, 250)),
        "--artifacts",
        str(root),
        "--feedback",
        str(feedback),
    )
    assert code == 0, output
    assert "is now CURRENT (the first version)" in output
    [version] = [p for p in root.iterdir() if p.is_dir()]
    assert json.loads((version / "metadata.json").read_text())["feedback_items"] == 1
    code, listing = invoke("models", "--artifacts", str(root))
    assert listing.startswith("* ") and "macro F1" in listing


def test_train_rejects_bad_feedback_lines(tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text(
        '{"text": "x", "start": 0, "end": 9, "verdict": "useful"}\n{"text": "ab", "start": 0, "end": 1, "verdict": "meh"}\n'
    )
    code, output = invoke(
        "train",
        "--data",
        str(small_data(tmp_path)),
        "--artifacts",
        str(tmp_path / "a"),
        "--feedback",
        str(feedback),
    )
    assert code == 1
    assert "line 1: start..end 0..9 outside the text" in output
    assert "line 2: verdict: 'meh' is not one of not_a_hedge, useful" in output


def test_evaluate_table_and_json(artifacts: Path) -> None:
    code, table = invoke("evaluate", "--artifacts", str(artifacts), "--split", "test")
    assert code == 0, table
    for word in (
        "knowledge",
        "intent",
        "empathy",
        "standing",
        "lexicon-only baseline",
        "AUC",
        "Brier",
    ):
        assert word in table
    first = str(REPO / "data" / "replies.jsonl")
    code, raw = invoke(
        "evaluate",
        "--artifacts",
        str(artifacts),
        "--split",
        "test",
        "--format",
        "json",
        "--data",
        first,
    )
    figures = json.loads(raw)
    assert figures["records"] > 300
    assert figures["hedges"]["precision"] >= figures["baseline_hedges"]["precision"] + 0.10
    for metrics in figures["principles"].values():
        assert metrics["macro_f1"] >= 0.84 and metrics["roc_auc"] >= 0.92
        assert metrics["ece"] <= 0.12
    assert figures["hedges"]["f1"] >= 0.90
    assert figures["hedges"]["exact"]["f1"] >= 0.70


def test_evaluate_without_a_model_says_how_to_train(tmp_path: Path) -> None:
    code, output = invoke("evaluate", "--artifacts", str(tmp_path / "none"))
    assert code == 1 and "train one with `tonecheck train`" in output


def test_promote_unknown_version(artifacts: Path) -> None:
    code, output = invoke("promote", "nope", "--artifacts", str(artifacts))
    assert code == 1 and "no model version 'nope'" in output


def test_score_text_table(artifacts: Path) -> None:
    code, output = invoke(
        "score", "--artifacts", str(artifacts), "Hopefully this fixes it, I think."
    )
    assert code == 0, output
    assert "TEXT: knowledge" in output and "overall" in output
    assert "'Hopefully' [hope]" in output and "'I think' [epistemic]" in output


def test_score_file_jsonl_keeps_order_and_reports_bad_rows(tmp_path: Path, artifacts: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "You should be able to log in now."},
        {"id": "b", "text": "   "},
        {"id": "c", "text": "x" * 20_001},
        {"id": "d", "text": "We've refunded you; it lands in 3 days."},
    ]
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    result = CliRunner().invoke(
        main, ["score", "--artifacts", str(artifacts), "--file", str(source), "--jobs", "2"]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c", "d", "5"]
    assert lines[0]["hedges"][0]["text"] == "You should be able to"
    assert lines[1]["scores"]["knowledge"] is None and "empty" in lines[1]["reason"]
    assert "id c" in lines[2]["error"] and "20,001 characters" in lines[2]["error"]
    assert lines[4]["error"].startswith("line 5: invalid JSON")
    assert "2 row(s) could not be scored" in result.stderr


def test_score_csv_with_text_column(tmp_path: Path, artifacts: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('ticket,Text\n1,"Maybe restart it, I guess."\n2,"Done, refunded."\n')
    result = CliRunner().invoke(
        main, ["score", "--artifacts", str(artifacts), "--file", str(source)]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2 and {h["text"] for h in lines[0]["hedges"]} >= {"Maybe"}


def test_score_needs_text_or_file(artifacts: Path) -> None:
    code, output = invoke("score", "--artifacts", str(artifacts))
    assert code == 2 and "give either TEXT or --file" in output


def test_lexicon_show_includes_team_entries(tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text("add:\n  - phrase: circle back\n    category: deference\n")
    code, output = invoke("lexicon", "show", "--lexicon", str(team))
    assert code == 0
    assert any(e["id"] == "circle-back" for e in json.loads(output)["entries"])


def test_train_on_several_files_and_refuse_a_record_in_two(tmp_path: Path) -> None:
    lines = (REPO / "data" / "register.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[150:300]) + "\n", encoding="utf-8")
    root = tmp_path / "artifacts"
    code, output = invoke(
        "train", "--data", str(first), "--data", str(second), "--artifacts", str(root)
    )
    assert code == 0, output
    metadata = json.loads(next(root.glob("*/metadata.json")).read_text())
    assert set(metadata["data_files"]) == {str(first), str(second)}
    assert metadata["train_records"] + metadata["test_records"] == 300
    second.write_text("\n".join(lines[149:300]) + "\n", encoding="utf-8")
    code, output = invoke(
        "train", "--data", str(first), "--data", str(second), "--artifacts", str(root)
    )
    assert code == 1
    assert (
        f"{second}:1 ({json.loads(lines[149])['id']}): id:" in output and f"{first}:150" in output
    )
