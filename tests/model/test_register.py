"""Reply types of the real register, the gap table, and `tonecheck data compare|stats`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.support.paths import EXTERNAL, REPO
from tonecheck.cli import main
from tonecheck.model.records import Record
from tonecheck.model.register import reply_types, type_table


def record(text: str, **labels: int) -> Record:
    full = {"knowledge": 0, "intent": 0, "empathy": 0, "standing": 0, **labels}
    return Record("x", text, "social", "d", full, ())


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("@sam_k Please DM us your order number. ^JB", {"handle", "dm_move", "signature", "short"}),
        ("@sam See https://help.example/x 1/2", {"handle", "link", "multi_part", "short"}),
        ("Sorry about that! Which model is it?", {"apology", "question", "short"}),
        ("Thanks for reaching out, have a great day :)", {"closing_or_thanks", "emoji", "short"}),
        (
            "The order left our Leeds depot on 3/4 and arrives tomorrow before noon, tracked all the way to your door.",
            set(),
        ),
    ],
)
def test_reply_types(text: str, types: set[str]) -> None:
    assert set(reply_types(text)) == types


def test_type_table_rates_by_hand() -> None:
    records = [
        record("DM us please", intent=0),
        record("DM us your booking ref and we'll rebook you today", intent=1, knowledge=1),
        record("Your refund went out this morning.", intent=1),
    ]
    table = type_table(records)
    assert table["all"]["replies"] == 3 and table["dm_move"]["replies"] == 2
    assert table["dm_move"]["share"] == pytest.approx(0.667)
    assert table["dm_move"]["intent"] == 0.5 and table["dm_move"]["knowledge"] == 0.5
    assert table["link"]["replies"] == 0


def test_stats_by_channel_and_part() -> None:
    files = [str(REPO / "data" / "replies.jsonl"), str(REPO / "data" / "register.jsonl")]
    result = CliRunner().invoke(main, ["data", "stats", *files])
    assert result.exit_code == 0, result.output
    assert "positive by channel (k i e s)" in result.output
    assert "positive by part (k i e s)" in result.output and files[1] in result.output


@pytest.mark.skipif(
    not (EXTERNAL / "tweetsumm" / "agent_turns.jsonl").is_file(),
    reason="../shared/external is not here (the real replies' texts)",
)
def test_compare_prints_the_corpus_by_channel_and_the_real_replies() -> None:
    turns = EXTERNAL / "tweetsumm" / "agent_turns.jsonl"
    result = CliRunner().invoke(
        main,
        [
            "data",
            "compare",
            str(REPO / "data" / "register.jsonl"),
            "--real",
            str(REPO / "data" / "eval" / "tweetsumm_dev.jsonl"),
            "--turns",
            str(turns),
        ],
    )
    assert result.exit_code == 0, result.output
    for heading in ("corpus, chat", "corpus, email", "corpus, social", "real replies"):
        assert heading in result.output
    assert "dm_move" in result.output


def test_compare_without_the_real_texts_is_one_clear_line(tmp_path: object) -> None:
    result = CliRunner().invoke(
        main,
        [
            "data",
            "compare",
            str(REPO / "data" / "register.jsonl"),
            "--turns",
            "/nonexistent/agent_turns.jsonl",
        ],
    )
    assert result.exit_code == 1 and "is not here" in result.output
