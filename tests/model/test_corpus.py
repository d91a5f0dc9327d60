"""The committed corpus keeps the balance the foundation issue asks for, and its card is current."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from tests.support.paths import REPO
from tonecheck.cli import main
from tonecheck.model.corpus_stats import corpus_stats, format_stats_table
from tonecheck.model.data_check import read_records

DATA = REPO / "data" / "replies.jsonl"


@pytest.fixture(scope="module")
def stats() -> dict[str, Any]:
    return corpus_stats(read_records(DATA))


def test_size_breadth_and_register(stats: dict[str, Any]) -> None:
    assert stats["records"] >= 1500
    assert len(stats["domains"]) >= 12
    assert set(stats["channels"]) == {"email", "chat", "social"}
    assert stats["social_under_280"] >= 400
    assert stats["words_per_reply"]["min"] <= 10 and stats["words_per_reply"]["max"] >= 200


def test_balance(stats: dict[str, Any]) -> None:
    assert min(stats["label_combinations"].values()) >= 40
    assert all(0.35 <= share <= 0.65 for share in stats["positive_share"].values())
    assert stats["records_with_hedge"] >= stats["records"] / 2
    assert min(stats["hedge_categories"].values()) >= 60
    assert stats["hard_cases"] >= 300


def test_data_card_shows_the_current_stats_table(stats: dict[str, Any]) -> None:
    card = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert format_stats_table(stats) in card, (
        "run `tonecheck data stats data/replies.jsonl` into data/README.md"
    )


def test_committed_corpus_passes_the_validator() -> None:
    result = CliRunner().invoke(main, ["data", "check", str(DATA)])
    assert result.exit_code == 0, result.output
